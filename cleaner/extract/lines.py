"""An HTML page as lines: extracted blocks become the lines the rule engine and heuristics read.

One rule file serves both kinds of input: the site's `css` rules prune the tree before
extraction, its line rules and the heuristics then run on the blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cleaner.extract.html import extract_page
from cleaner.model import Line, Page
from cleaner.text import squash


def html_lines(page: Page, css_drop: Sequence[str]) -> tuple[list[Line], dict[str, Any]]:
    """Block i of the extraction is line i + 1; list items are a run, other blocks stand alone.

    `css_drop` is the page's site's CSS rules (the page step finds the site)."""
    assert page.text is not None
    got = extract_page(page.text, url=page.url, css_drop=css_drop)
    blocks, meta = got.blocks, got.meta
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
        "standfirst": meta.standfirst,
        "html_lang": meta.language,
        "flags": got.flags,  # how the blocks were chosen (extract/fallback-...)
    }
    return lines, info
