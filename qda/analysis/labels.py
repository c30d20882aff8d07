"""How findings tables group interviews: the attributes they group by and the order of the
groups. The words of headings and group names are `qda.lang`'s; code labels come from the
codebook."""
from __future__ import annotations

from qda.errors import UsageError
from qda.vocab import NONE, ROLES

BY = ("country", "role", "policy", "sector")


def check_by(by: str) -> str:
    if by not in BY:
        raise UsageError(f"--by must be one of {', '.join(BY)}, not '{by}'")
    return by


def group_order(by: str, values: list[str]) -> list[str]:
    """Roles in their fixed order, everything else alphabetically; '(none)' last."""
    present = [v for v in values if v != NONE]
    if by == "role":
        ranked = sorted(present, key=lambda v: (list(ROLES).index(v) if v in ROLES else 99, v))
    else:
        ranked = sorted(present, key=str.casefold)
    return ranked + ([NONE] if NONE in values else [])
