"""REFI-QDA (QDA-XML 1.0) vocabulary shared by the reader and the writers.

Namespaces, stable GUIDs, colours and safe parsing. Foreign files are parsed with
defusedxml, which refuses entity declarations (the "billion laughs" expansion) and external
entities before they can expand or reach a file or URL; a plain DOCTYPE is harmless and read.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from qda.errors import QdaError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
# Fixed forever: every GUID qda writes is derived from it, so re-exports keep their GUIDs and
# other tools recognise codes, sources and users they have seen before.
GUID_NAMESPACE = uuid.UUID("5d0c1f0e-3b7a-5c47-9a51-7a0d6c1f2e41")
# Users whose codings are machine suggestions carry this id prefix (`qda:rules`, `qda:model`);
# the importer reads their codings back as suggestions, never as human decisions.
MACHINE_USER_PREFIX = "qda:"
# The codebook has two levels: a foreign code deeper than a theme is imported as a theme whose
# key joins its ancestors' keys with this (`rq1/competencies__programming`), and the writer
# rebuilds the tree from it.
DEEPER = "__"

_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,[^)]*)?\)$")


def make_guid(*parts: str) -> str:
    """A GUID that depends only on `parts`: the same thing gets the same GUID every time."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


def code_guid(path: str) -> str:
    return make_guid("code", path)


def colour(value: str | None) -> str | None:
    """`#RGB`, `#RRGGBB`, `RRGGBB` or `rgb(r, g, b)` as `#RRGGBB`; None when unreadable."""
    if not value:
        return None
    value = value.strip()
    if m := _HEX.match(value):
        digits = m.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return "#" + digits.upper()
    if m := _RGB.match(value):
        channels = [int(g) for g in m.groups()]
        if all(c <= 255 for c in channels):
            return "#" + "".join(f"{c:02X}" for c in channels)
    return None


def local(tag: str) -> str:
    """Element name without its namespace: some tools write none, or another one."""
    return tag.rsplit("}", 1)[-1]


def kids(element: Element, name: str) -> list[Element]:
    return [e for e in element if local(e.tag) == name]


def kid(element: Element, name: str) -> Element | None:
    return next((e for e in element if local(e.tag) == name), None)


def parse(data: bytes, what: str, where: str | Path) -> Element:
    """Parse XML that came from elsewhere; refuse entities and external references."""
    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True,
                                 forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        if exc.sysid or exc.pubid:
            raise QdaError(f"{what} declares an external entity '{exc.name}' "
                           f"({exc.sysid or exc.pubid}) that would read a file or URL; "
                           "refused", where) from None
        raise QdaError(f"{what} declares the XML entity '{exc.name}'; entity expansion can "
                       "blow up memory (the 'billion laughs' attack), so it is refused",
                       where) from None
    except defusedxml.ExternalReferenceForbidden as exc:
        raise QdaError(f"{what} refers to an external document ({exc.sysid or exc.pubid}); "
                       "refused", where) from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise QdaError(f"{what} is not well-formed XML ({reason}, line {line}, column "
                       f"{column}); the file is damaged or not a REFI-QDA export", where) from None
