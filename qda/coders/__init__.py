"""Coders that suggest codes for passages, all with the interface in `base.py`."""
from .base import Coder, Suggestion, passages
from .rules import RuleCoder

__all__ = ["Coder", "RuleCoder", "Suggestion", "passages"]
