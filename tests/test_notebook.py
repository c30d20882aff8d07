"""The findings notebook runs against the sample project and is committed without outputs."""
from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from .conftest import REPO, coded_sample

NOTEBOOK = REPO / "notebooks" / "findings.ipynb"


def test_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


@pytest.fixture
def sample_project(tmp_path):
    with coded_sample(tmp_path / "sample") as project:
        return project.root


def test_notebook_executes_on_the_sample_project(sample_project, tmp_path, monkeypatch):
    monkeypatch.setenv("QDA_PROJECT", str(sample_project))
    monkeypatch.setenv("QDA_LANG", "es")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                     for o in outputs)
    assert "12 interviews" in text and "Voluntad política" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2  # the charts show
    assert len(list((sample_project / "outputs").glob("*_es.png"))) == 3


def test_notebook_says_to_run_make_demo_on_an_empty_project(project, tmp_path, monkeypatch):
    monkeypatch.setenv("QDA_PROJECT", str(project.root))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(CellExecutionError, match="run `make demo`"):
        client.execute()
