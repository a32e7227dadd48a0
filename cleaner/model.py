"""The objects that flow through the pipeline: a page in, lines with fates, documents out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Page:
    """One input page as read from disk (or one record of a JSONL/WARC file)."""

    path: str  # relative to the input the user gave
    data: bytes  # raw bytes, never modified
    sha256: str
    format: str  # "text" | "html"
    url: str | None = None
    input_id: str | None = None  # id given by a JSONL/WARC record
    record: int | None = None  # line number in a JSONL file, record index in a WARC
    fetched_at: str | None = None
    text: str | None = None  # set by decode
    encoding: str | None = None


@dataclass(slots=True)
class Line:
    """One line of a page (a text-dump line, or one block extracted from HTML)."""

    number: int  # 1-based line number in the page (block index for HTML)
    text: str  # normalised text
    kind: str = "p"  # HTML block kind: p, h, li, quote, caption, table; "p" for dumps
    alone: bool = True  # a paragraph of its own (blank line before and after), not one of a run
    fate: str = "body"  # body, headline, standfirst, subhead, dateline, removed
    rule: str | None = None  # id of the rule or heuristic that decided the fate
    category: str | None = None  # chrome category when removed
    flags: list[str] = field(default_factory=list)
    # fate == "removed", kept in step by remove() and set_fate(): every pass asks, so a field
    removed: bool = False

    def remove(self, rule: str, category: str) -> None:
        """Mark the line as chrome; the first rule to remove a line wins."""
        if not self.removed:
            self.fate, self.rule, self.category, self.removed = "removed", rule, category, True

    def set_fate(self, fate: str) -> None:
        """Give the line a kept fate (body, subhead...), undoing an earlier removal."""
        self.fate, self.removed = fate, False


@dataclass
class Dateline:
    raw: str
    place: str | None = None
    country: str | None = None
    date: str | None = None  # YYYY-MM-DD or --MM-DD (no year guessed)
    agency: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "place": self.place,
            "country": self.country,
            "date": self.date,
            "agency": self.agency,
        }


@dataclass
class Document:
    """One article found on a page."""

    lines: list[Line]  # every line of the document's span, body and removed alike
    headline: str | None = None
    standfirst: str | None = None
    dateline: Dateline | None = None
    published: str | None = None
    published_source: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
