"""`cleaner explain`: every line of a page with its fate and who decided it."""

from __future__ import annotations

from pathlib import Path

from cleaner.inputs.read import read_pages
from cleaner.inputs.streams import Unreadable
from cleaner.run.page import Cleaner, PageResult, clean_page


def explain_result(result: PageResult) -> str:
    if result.reject and not result.lines:
        return f"rejected: {result.reject['reason']} {result.reject.get('detail', '')}\n"
    out = _record_head(result)
    for line in result.lines:
        if not line.text:
            continue
        fate = f"removed {line.category}" if line.removed else line.fate
        if line.rule == TITLE_COPY:
            fate = "headline"  # the headline printed on the page: the record's headline, not chrome
        extra = "".join(f" [{f}]" for f in line.flags)
        out.append(f"{line.number:>5}  {fate:<28} {line.rule or '-':<28} {line.text[:100]}{extra}")
    if result.reject:
        out.append(f"rejected: {result.reject['reason']} {result.reject.get('detail', '')}")
    return "\n".join(out) + "\n"


TITLE_COPY = "heur/title-copy"


def _record_head(result: PageResult) -> list[str]:
    """An HTML page's metadata first: what the record says the article is, and where the date came from."""
    if result.page.format != "html" or not result.records:
        return []
    rec = result.records[0]
    published = rec.get("published")
    if published:
        published = f"{published} ({rec.get('published_source')}, {rec.get('published_precision')})"
    head = [
        ("headline", rec.get("headline")),
        ("standfirst", rec.get("standfirst")),
        ("published", published),
        ("authors", "; ".join(rec.get("authors") or [])),
    ]
    return [f"{name + ':':<12} {value or '-'}" for name, value in head] + [""]


def explain_page(path: Path, cleaner: Cleaner) -> str:
    chunks = []
    for item in read_pages([path]):
        if isinstance(item, Unreadable):
            chunks.append(f"rejected: {item.reason} {item.detail}\n")
        else:
            chunks.append(explain_result(clean_page(item, cleaner)))
    return "".join(chunks)
