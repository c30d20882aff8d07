# Set-up and everyday targets. `make demo` and `make test` work from a clean clone:
# `setup` builds .venv and installs the project once, again only when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/qda import transcripts/
	$(BIN)/qda codebook check
	$(BIN)/qda autocode --coder rules
	$(BIN)/qda import-codings transcripts/reference/ --coder reference
	$(BIN)/qda status
	$(BIN)/qda evaluate --reference reference --coder rules --level axis
	$(BIN)/qda train
	$(BIN)/qda evaluate --reference reference --coder both --level axis
	$(BIN)/qda agreement --coder reference --coder rules
	$(BIN)/qda summary
	$(BIN)/qda summary -o outputs/summary_en.xlsx
	$(BIN)/qda summary --lang es -o outputs/summary_es.xlsx
	$(BIN)/qda study -o outputs/study.xlsx
	$(BIN)/qda differences
	$(BIN)/qda charts --lang en
	$(BIN)/qda charts --lang es
	$(BIN)/qda export codings outputs/codings.csv
	$(BIN)/qda export qdpx outputs/project.qdpx
	$(BIN)/qda export quotes outputs/quotes.xlsx
	$(BIN)/qda report outputs/findings_es.docx --lang es
	$(BIN)/qda report outputs/findings_en.docx --lang en

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check qda tests bench

bench: setup
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/autocode.py
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/model.py
	$(BIN)/python bench/summary.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/tui.py
	$(BIN)/python bench/reanchor.py
	$(BIN)/python bench/concurrency.py
	$(BIN)/python bench/scale.py --sizes 100,300

clean:
	rm -rf $(VENV) .qda build dist outputs/*.csv outputs/*.docx outputs/*.xlsx outputs/*.png outputs/*.svg
