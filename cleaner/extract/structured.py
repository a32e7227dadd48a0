"""Article bodies a page carries as data: JSON-LD `articleBody`.

Script-rendered and paywalled pages often print a teaser in their HTML and the whole
body in their JSON-LD. It is text of the page (the site published it in the page), so
it may stand in for an extraction that found little; the recall guard decides
(cleaner.extract.choose). Measured: 56 of trafeval's 945 pages and 15 of aeb's 181
carry an articleBody over 200 characters; on most the HTML body is as long or longer
(some sites cut it at 500 characters), so it is only ever a fallback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborHTMLParser

__all__ = ["article_body"]

_MAX_SCRIPT = 2_000_000  # characters of one JSON-LD script parsed at most


def article_body(tree: LexborHTMLParser) -> list[str]:
    """The longest JSON-LD articleBody of the page as paragraphs (split on its line breaks), or []."""
    best = ""
    for node in tree.css('script[type*="ld+json" i]'):  # lexbor picks them: pages hold dozens of scripts
        if not (node.attributes.get("type") or "").strip().lower().startswith("application/ld+json"):
            continue
        raw = node.text(deep=True) or ""
        if len(raw) > _MAX_SCRIPT or "articleBody" not in raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for obj in _objects(data):
            body = obj.get("articleBody")
            if isinstance(body, str) and len(body) > len(best):
                best = body
    return [" ".join(p.split()) for p in best.splitlines() if p.strip()]


def _objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JSON object in the value, nested ones too (a @graph, a mainEntity), to a bounded depth."""
    if depth > 20:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _objects(value, depth + 1)
    elif isinstance(data, list):
        for value in data:
            yield from _objects(value, depth + 1)
