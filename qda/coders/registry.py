"""The machine coders by name, in the shape of `qda.ingest.READERS`: one table that
`qda autocode`, `qda evaluate`, `qda train` and the command's --coder choices all read.

Each entry builds a fresh (untrained) coder; its heavy libraries (spaCy, scikit-learn) load
only then, so the command line can list the names without them. The store's codings record
a coder's `kind`; its CHECK constraint allows 'human' and the kinds below (a test holds the
two together).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qda.codebook.model import Codebook
    from qda.coders.base import Coder
    from qda.coders.rules import RuleCoder


@dataclass(frozen=True)
class CoderSpec:
    """What a coder name stands for."""

    kind: str  # the kind its codings carry in the store
    learns: bool  # fitted on people's decisions ('qda train'), not ready-made
    make: Callable[[Codebook, RuleCoder | None], Coder]  # a fresh coder (rules reused if given)
    replaces: tuple[str, ...]  # whose pending suggestions a run of it replaces


def _rules(codebook: Codebook, rules: RuleCoder | None) -> Coder:
    from qda.coders.rules import RuleCoder
    return rules or RuleCoder(codebook)


def _model(use_rules: bool) -> Callable[[Codebook, RuleCoder | None], Coder]:
    def make(codebook: Codebook, rules: RuleCoder | None) -> Coder:
        from qda.coders.model import ModelCoder
        return ModelCoder(codebook, rules, use_rules=use_rules)
    return make


CODERS: dict[str, CoderSpec] = {
    "rules": CoderSpec("rules", False, _rules, ("rules",)),
    "model": CoderSpec("model", True, _model(use_rules=False), ("model",)),
    # the ensemble: the model reading the rules' findings too; it supersedes both parts
    "both": CoderSpec("model", True, _model(use_rules=True), ("rules", "model", "both")),
}
LEARNERS = tuple(name for name, spec in CODERS.items() if spec.learns)


def new_coder(name: str, codebook: Codebook, rules: RuleCoder | None = None) -> Coder:
    """A fresh coder of that name; a learner still has to be fitted."""
    return CODERS[name].make(codebook, rules)


def choices(names: tuple[str, ...] = tuple(CODERS), last: str = "or") -> str:
    """'rules, model or both': the names as a help text lists them."""
    return f"{', '.join(names[:-1])} {last} {names[-1]}" if len(names) > 1 else names[0]
