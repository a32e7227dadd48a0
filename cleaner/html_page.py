"""An HTML page as lines: extracted blocks become the lines the rule engine and heuristics read.

One rule file serves both kinds of input: the site's `css` rules prune the tree before
extraction, its line rules and the heuristics then run on the blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cleaner.html_extract import extract
from cleaner.model import Line, Page
from cleaner.text import squash

if TYPE_CHECKING:
    from cleaner.pipeline import Cleaner


def html_lines(page: Page, cleaner: Cleaner) -> tuple[list[Line], dict[str, Any]]:
    """Block i of the extraction is line i + 1; list items are a run, other blocks stand alone."""
    assert page.text is not None
    site = cleaner.rules.detect_site([], page.url)
    css = cleaner.rules.css_for(site.name if site else None)
    blocks, meta = extract(page.text, url=page.url, css_drop=css)
    lines = [
        Line(number=i, text=squash(block.text), kind=block.kind, alone=block.kind not in ("li", "table"))
        for i, block in enumerate(blocks, start=1)
    ]
    info = {
        "title": meta.title,
        "published": meta.published,
        "published_source": meta.published_source,
        "published_precision": meta.published_precision,
        "url": meta.url,
        "outlet": meta.outlet,
        "authors": meta.authors,
        "html_lang": meta.language,
    }
    return lines, info
