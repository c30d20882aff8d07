"""Recall and false positives of the name finder on tests/name_fixture.py.

Recall: marked name mentions wholly blanked out. False positives: capitalised words that are
no name (sentence starts, places, institutions, months...) blanked out, as a share of all of
them. People are gathered over every interview of the fixture, as `qda.privacy.redact.people` does
over a project. Usage: python bench/names.py [-v]
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qda.privacy.names import addressed_names, full_names, is_generic_label, metadata_names  # noqa: E402
from qda.privacy.redact import HiddenNames  # noqa: E402
from tests.name_fixture import HELD_OUT, INTERVIEWS, parse  # noqa: E402

CAPITALISED = re.compile(r"(?<!\w)[A-ZÀ-ÖØ-Þ][^\W\d_]*")
LABEL = re.compile(r"^([^:\n]{1,40}):", re.MULTILINE)
GENERIC = ["ENT", "I", "Interviewer", "Respondent"]


def people(interviews: list[dict]) -> HiddenNames:
    """Everyone the metadata, speaker labels and texts name, as qda.privacy.redact.people."""
    names: list[str] = []
    for interview in interviews:
        text, _ = parse(interview["text"])
        names += metadata_names(interview["meta"])
        names += [label for label in LABEL.findall(text) if not is_generic_label(label, GENERIC)]
        names += addressed_names(text) + full_names(text)
    return HiddenNames.of(names)


def measure(interviews: list[dict], who: HiddenNames) -> dict:
    """Recall on marked names, false positives on the other capitalised words; and each
    miss and each word blanked by mistake."""
    found = total = flagged = capitalised = 0
    wrong: list[str] = []
    for interview in interviews:
        text, gold = parse(interview["text"])
        covered = [False] * len(text)
        for start, end in who.spans(text):
            covered[start:end] = [True] * (end - start)
        in_gold = [False] * len(text)
        for start, end in gold:
            in_gold[start:end] = [True] * (end - start)
        total += len(gold)
        hits = [all(covered[start:end]) for start, end in gold]
        found += sum(hits)
        wrong += [f"missed {text[s:e]!r}" for (s, e), hit in zip(gold, hits) if not hit]
        for m in CAPITALISED.finditer(text):
            if any(in_gold[m.start():m.end()]):
                continue
            capitalised += 1
            if any(covered[m.start():m.end()]):
                flagged += 1
                wrong.append(f"blanked {m.group()!r}")
    return {"names": total, "found": found, "recall": found / total,
            "capitalised": capitalised, "false_positives": flagged,
            "false_positive_rate": flagged / capitalised, "wrong": wrong}


def main() -> None:
    who = people(INTERVIEWS + HELD_OUT)
    for title, part in (("tuned on", INTERVIEWS), ("held out", HELD_OUT),
                        ("all", INTERVIEWS + HELD_OUT)):
        r = measure(part, who)
        print(f"{title}: {r['found']}/{r['names']} names found (recall {r['recall']:.3f}); "
              f"{r['false_positives']}/{r['capitalised']} capitalised non-names blanked "
              f"({r['false_positive_rate']:.1%})")
        if "-v" in sys.argv and title != "all":
            for line in r["wrong"]:
                print("   ", line)


if __name__ == "__main__":
    main()
