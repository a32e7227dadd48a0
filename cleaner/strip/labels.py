"""Page labels: short lines printed around an article that name, sell or credit it.

Each heuristic has an id, a category and examples that run as tests (tests/test_labels.py):
`change` lines it must remove, `keep` lines it must leave. They look at one line's shape
and at where it stands (above the first paragraph, or the last line), never at a site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleaner.cache import regex
from cleaner.model import Line
from cleaner.text import is_prose, word_count

__all__ = ["LABELS", "Label", "page_labels"]


@dataclass(frozen=True)
class Label:
    id: str
    category: str
    where: str  # "any" line, "top" (above the first prose line), "last" (the last live line), or "end":
    # any line, the pattern searched at its end (on its last END_CHARS characters)
    pattern: re.Pattern[str]
    change: tuple[str, ...]
    keep: tuple[str, ...]
    needs: tuple[str, ...] = ()  # one of these must be in the line for the pattern to be tried (a cheap test)


LABELS: tuple[Label, ...] = (
    Label(
        "heur/ad-label",
        "advertisement",
        "any",
        regex(
            r"^(?:advertisement|advertising|sponsored(?: content)?|supported by|paid (?:post|content)|anzeige"
            r"|werbung|publicité|publicidad|pubblicità|reklame|advertentie)\s*:?$",
            re.I,
        ),
        ("Advertisement", "Supported by", "ANZEIGE", "Publicité"),
        ("Advertisement revenue fell by a third last year.", "Supported by the council, the plan passed."),
    ),
    Label(
        "heur/photo-credit",
        "photo-caption",
        "any",
        regex(
            r"^\(?(?:photo|photos|image|images|picture|foto|fotos|bild|bilder|photographie|imagen|credit|crédit"
            r"|quelle|source)\s*:\s*[\w&.,/ ’'-]{2,60}\)?$",
            re.I,
        ),
        ("Photo: AFP", "Foto: dpa/Michael Kappeler", "(Image: Getty Images)", "Bild: Keystone"),
        ("Photo: the mayor at the opening of the new bridge on Tuesday, surrounded by supporters.",),
    ),
    Label(
        "heur/caption-credit",
        "photo-caption",
        "end",
        regex(
            r"(?:\s[|/]\s*|\s)(?:(?i:©|\(c\))\s*[\w&./ ’'-]{2,40}\)?"
            r"|\((?i:foto|photo|bild|bildquelle|quelle|credit|crédit|image|imagen|fuente|fotos?)\s*:[^)]{1,80}\)"
            r"|\((?:AFP|AP|REUTERS|Reuters|dpa|EPA|Getty Images|Keystone|ANSA|EFE|AAP|PA)(?:\s*/\s*[^)]{1,60})?\))\s*\.?$",
        ),
        (
            "Marco Odermatt, Ski-Star aus der Schweiz. © AFP / MARCO BERTORELLO",
            "Dmitry Muratov, periodista ruso y Premio Nobel de la Paz (REUTERS/Denis Balibouse)",
            "Neue DJV-Online-Seminare starten im März. (Quelle: Hume/Unsplash/DJV)",
            "Le piquet de grève dans le hall de l’université / (C) Kab Niang",
        ),
        (
            "The agency said the figures were final (AP reported them first) and would not change.",
            "Copyright © protects the photographs, the court said.",
        ),
        ("©", ")", "(C)"),
    ),
    Label(
        "heur/kicker",
        "category-label",
        "top",
        regex(
            r"^(?:guest essay|opinion|analysis|comment|commentary|editorial|exclusive|breaking|live|"
            r"explainer|review|interview|meinung|kommentar|analyse|kolumne|tribune|opinión|análisis)$",
            re.I,
        ),  # fmt: skip
        ("Guest Essay", "Opinion", "Kommentar"),
        ("Opinion polls put the two parties level on Sunday.",),
    ),
    Label(
        "heur/author-bio",
        "byline",
        "last",
        regex(
            r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3} (?:is|was) (?:a|an|the) [^.]{0,120}?\b(?:editor|writer"
            r"|reporter|correspondent|columnist|journalist|author|contributor|professor|fellow|director)\b[^.]{0,120}\.$"
        ),
        ("Patrick Healy is the deputy Opinion editor.", "Jane Roe is a staff writer at the Example Times."),
        ("Smith is the fourth editor to resign this year, after a long dispute with the owners over pay.",),
    ),
)
_MAX_WORDS, _MAX_CHARS = 40, 400  # a label or a bio is a line, not a paragraph
END_CHARS = 160  # a credit closes a caption: "... © AFP / Name", "... (Foto: dpa)"


def page_labels(lines: list[Line]) -> None:
    """Remove the lines the labels match, each only where it applies."""
    live = [ln for ln in lines if not ln.removed]
    first_prose = next((i for i, ln in enumerate(live) if is_prose(ln.text)), len(live))
    for i, line in enumerate(live):
        if len(line.text) > _MAX_CHARS or word_count(line.text) > _MAX_WORDS:
            continue
        for label in LABELS:
            if label.where == "top" and i >= first_prose:
                continue
            if label.where == "last" and i != len(live) - 1:
                continue
            if label.needs and not any(n in line.text for n in label.needs):
                continue
            if label.where == "end":
                if not label.pattern.search(line.text[-END_CHARS:]):
                    continue
            elif not label.pattern.match(line.text):
                continue
            line.remove(label.id, label.category)
            break
