"""The standfirst: the lead printed between the headline and the body.

Two signs, tried on the text printed right below the headline up to its first paragraph-long
text (a lead is that text, or the body has begun): an element whose class, id or itemprop names a lead
("dek", "standfirst", "summary", "lead", "teaser", "intro", "subtitle", "chapo"...), or
the first block there whose text is the page's own description (og:description, meta
description, JSON-LD description). A description the page does not print is never a
standfirst: only printed text is returned.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner.cache import regex
from cleaner.extract.nodes import Near, clean, near_headline
from cleaner.text import alnum_key

__all__ = ["find_standfirst"]

_LEAD_CLASS = regex(
    r"(?:^|[\s_-])(?:dek|deck|standfirst|stand-first|summary|lead|leadtext|lede|teaser|intro|introduction"
    r"|subtitle|sub-title|subheadline|sub-headline|subline|excerpt|abstract|sapo|chapo|chapeau|kurztext"
    r"|vorspann|entradilla|bajada|sottotitolo|occhiello)(?:$|[\s_-])",
    re.I,
)
_ANCESTORS = 4  # levels above a text node searched for the lead's element
_MIN_WORDS, _MAX_WORDS = 8, 60  # a lead is a sentence or two; a longer "summary" box is the article
_BLOCK_TAGS = frozenset({"p", "div", "h2", "h3", "section", "header", "span", "strong", "b", "em", "summary"})
_MATCH_SHARE = 0.8  # a block and the description agree when one starts the other and is this much of it


def find_standfirst(
    tree: LexborHTMLParser, h1: LexborNode | None, descriptions: list[str], near: Near | None = None
) -> str | None:
    """The printed lead below the headline, or None (`near`: near_headline(tree, h1) if the caller has it)."""
    wanted = [d for d in (alnum_key(x) for x in descriptions) if len(d) >= 20]
    for node, text, after in near if near is not None else near_headline(tree, h1):
        if not after:
            continue
        block = _lead_element(node)
        if block is not None:
            lead = _visible_text(block)
            if _MIN_WORDS <= len(lead.split()) <= _MAX_WORDS:
                return lead
        block = _block(node)
        if block is not None and wanted and not _opens_a_run(block):
            lead = _visible_text(block)
            if _MIN_WORDS <= len(lead.split()) <= _MAX_WORDS and any(
                _same(alnum_key(lead), d) for d in wanted
            ):
                return lead
        if len(text.split()) >= _MIN_WORDS:
            return None  # a first paragraph that is no lead: the body has begun
    return None


_INVISIBLE = frozenset({"script", "style", "noscript", "template"})


def _visible_text(node: LexborNode) -> str:
    """The element's text without the scripts and styles inside it."""
    parts = []
    for child in node.traverse(include_text=True):
        if child.is_text_node and not any(p.tag in _INVISIBLE for p in _parents(child, node)):
            parts.append(child.text_content or "")
    return clean(" ".join(parts))


def _parents(node: LexborNode, stop: LexborNode) -> list[LexborNode]:
    out, p = [], node.parent
    while p is not None and p.mem_id != stop.mem_id:
        out.append(p)
        p = p.parent
    return out


def _opens_a_run(block: LexborNode) -> bool:
    """A block followed by a sibling of its own tag is the body's first paragraph: a description
    written from it matches it, but the page prints it as body, not as a lead."""
    sibling = block.next
    while sibling is not None and sibling.is_text_node and not (sibling.text_content or "").strip():
        sibling = sibling.next
    return sibling is not None and sibling.tag == block.tag


def _lead_element(node: LexborNode) -> LexborNode | None:
    p = node if not node.is_text_node else node.parent
    for _ in range(_ANCESTORS):
        if p is None or p.tag in ("body", "html", "article", "main"):
            return None
        attrs = p.attributes
        names = " ".join(v for k in ("class", "id") if (v := attrs.get(k)))  # itemprop=description: a review
        if names and _LEAD_CLASS.search(names):
            return p
        p = p.parent
    return None


def _block(node: LexborNode) -> LexborNode | None:
    p = node if not node.is_text_node else node.parent
    while p is not None and p.tag not in _BLOCK_TAGS:
        p = p.parent
    return p


def _same(block: str, description: str) -> bool:
    if block == description:
        return True
    shorter, longer = sorted((block, description), key=len)
    return longer.startswith(shorter) and len(shorter) >= _MATCH_SHARE * len(longer)
