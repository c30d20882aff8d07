"""Coders that suggest codes for passages, all with the interface in `base.py`; the names
the command line offers are in `registry.py`.

The classes load on first use (PEP 562), so reading the registry does not import pandas
and spaCy.
"""
from importlib import import_module
from typing import Any

__all__ = ["Coder", "RuleCoder", "Suggestion", "passages"]
_HOMES = {"Coder": "qda.coders.base", "Suggestion": "qda.coders.base",
          "passages": "qda.coders.base", "RuleCoder": "qda.coders.rules"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'qda.coders' has no attribute '{name}'")
