"""Coders that suggest codes for passages, all with the interface in `base.py`."""
from qda.coders.base import Coder, Suggestion, passages
from qda.coders.rules import RuleCoder

__all__ = ["Coder", "RuleCoder", "Suggestion", "passages"]
