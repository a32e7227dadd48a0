"""Each page-label heuristic alone on its own examples: `change` lines go, `keep` lines stay."""

from __future__ import annotations

import pytest

from cleaner.model import Line
from cleaner.strip import labels as L

BODY = "The council met on the evening and decided the matter after a long debate in the hall."


def run_alone(label: L.Label, text: str) -> Line:
    """The text where the label applies (first line for `top`, last for `last`), with prose around."""
    line = Line(2, text)
    lines = {"top": [line, Line(3, BODY)], "last": [Line(1, BODY), line]}.get(
        label.where, [Line(1, BODY), line]
    )
    saved = L.LABELS
    L.LABELS = (label,)
    try:
        L.page_labels(lines)
    finally:
        L.LABELS = saved
    return line


CASES = [(label, text, True) for label in L.LABELS for text in label.change] + [
    (label, text, False) for label in L.LABELS for text in label.keep
]


@pytest.mark.parametrize(("label", "text", "removed"), CASES, ids=[f"{c[0].id}:{c[1][:30]}" for c in CASES])
def test_label_examples(label: L.Label, text: str, removed: bool) -> None:
    line = run_alone(label, text)
    assert line.removed is removed
    if removed:
        assert (line.rule, line.category) == (label.id, label.category)


def test_kicker_only_above_the_article_and_bio_only_at_the_end() -> None:
    lines = [
        Line(1, BODY),
        Line(2, "Opinion"),
        Line(3, "Jane Roe is a staff writer at the Example Times."),
        Line(4, BODY),
    ]
    L.page_labels(lines)
    assert not any(ln.removed for ln in lines)
