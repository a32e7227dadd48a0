"""Small questions about selectolax nodes that the metadata readers share.

Where a node sits decides whether its text is the page's own (a byline, the article's
date) or another story's (a teaser in a list, a related link in an aside).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = [
    "NOT_MAIN",
    "Near",
    "ancestor",
    "clean",
    "contains",
    "headline_node",
    "hidden",
    "in_main",
    "names_of",
    "near_headline",
]

# near_headline's answer, kept in a list so that the date, byline and standfirst readers walk it once
Near = list[tuple[LexborNode, str, bool]]

NOT_MAIN = frozenset({"a", "li", "nav", "aside", "footer", "ul", "ol"})


def clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def in_main(
    node: LexborNode,
    stop: LexborNode | None = None,
    plain_lists: bool = False,
    own_paths: frozenset[str] | None = None,
) -> bool:
    """False for nodes inside link lists, asides and footers (teasers carry their own dates).
    With `plain_lists`, a list without links (an info list printing the article's date or
    byline, read as text near the headline or after a label) is not a teaser list. With
    `own_paths` (the URL paths of the page itself, without a trailing slash), a link to the
    page itself (also WordPress's rel=bookmark permalink) is not a teaser either."""
    p = node.parent
    date_item = False  # the node's own list item is named for the date and holds no link
    while p is not None and p is not stop:
        if p.tag in NOT_MAIN:
            if plain_lists and p.tag == "li" and not date_item and _date_item(p):
                date_item = True
            elif not (
                (plain_lists and p.tag in _LISTS and (date_item or _plain_list(p)))
                or (own_paths is not None and p.tag == "a" and _own_link(p, own_paths))
            ):
                return False
        p = p.parent
    return True


_DATE_ITEM = re.compile(r"(?:^|[\s_-])(?:date|datum|created?|published|pubdate)(?:$|[\s_-])", re.I)


def _date_item(item: LexborNode) -> bool:
    """A list item named for the article's date ("field_node_create_date") without a link of its
    own: the article's info list, even when another item of it links the article's tags."""
    names = names_of(item)
    return bool(names and _DATE_ITEM.search(names)) and item.css_first("a") is None


def names_of(node: LexborNode, keys: tuple[str, ...] = ("class", "id")) -> str:
    """The values of the node's naming attributes (its class and id, by default) as one string:
    what a page calls an element ("entry-date", "ArticleHeader"), searched for a word."""
    return " ".join(v for k, v in node.attributes.items() if k in keys and v)


def _own_link(link: LexborNode, own_paths: frozenset[str]) -> bool:
    """A link to the page itself: its permalink (rel=bookmark) or one of its own paths."""
    href = link.attributes.get("href") or ""
    return link.attributes.get("rel") == "bookmark" or urlsplit(href).path.rstrip("/") in own_paths


_LISTS = frozenset({"li", "ul", "ol"})


def _plain_list(node: LexborNode) -> bool:
    """A list without links (an article's info list: date, reading time), not a teaser list."""
    lst: LexborNode | None = node
    while lst is not None and lst.tag == "li":
        lst = lst.parent
    return lst is not None and lst.tag in ("ul", "ol") and lst.css_first("a") is None


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def hidden(node: LexborNode) -> bool:
    """The node or an ancestor is hidden from the reader (the hidden attribute, display:none or
    visibility:hidden in its style): microdata kept for machines, not printed text."""
    p: LexborNode | None = node
    while p is not None:
        attrs = p.attributes
        if "hidden" in attrs or _HIDDEN_STYLE.search(attrs.get("style") or ""):
            return True
        p = p.parent
    return False


def ancestor(node: LexborNode, tag: str) -> LexborNode | None:
    p = node.parent
    while p is not None:
        if p.tag == tag:
            return p
        p = p.parent
    return None


def contains(node: LexborNode, other: LexborNode) -> bool:
    """True when `other` lies inside `node` (lexbor nodes have no such test of their own)."""
    target, p = node.mem_id, other.parent
    while p is not None:
        if p.mem_id == target:
            return True
        p = p.parent
    return False


def headline_node(tree: LexborHTMLParser, title: str | None) -> LexborNode | None:
    """The h1 that prints the headline: the one whose text is in the title (or holds it),
    else the first h1 outside link lists (a logo h1 in the masthead is often first)."""
    h1s = [h for h in tree.css("h1") if in_main(h)]
    if title:
        wanted = clean(title).casefold()
        for h1 in h1s:
            text = clean(h1.text(deep=True, separator=" ")).casefold()
            if text and (text in wanted or wanted in text):
                return h1
    return h1s[0] if h1s else None


SCAN_AFTER = 400  # nodes looked at after the headline: a byline sits close to its headline
SCAN_BEFORE = 12  # text nodes kept from just above it (a date or kicker printed over the headline)
BODY_TEXT = 250  # a text node this long means the body has started: stop looking
# elements whose text the reader never sees: a <style> block between a date and the headline must
# neither be read as text nor end the search as "body text" (verbaende.com prints its date above a
# 400-character <style>)
UNPRINTED = frozenset({"script", "style", "noscript", "template"})


def near_headline(tree: LexborHTMLParser, h1: LexborNode | None) -> Iterator[tuple[LexborNode, str, bool]]:
    """(node, its text, after the headline?) for the text nodes and <time> elements around the
    headline: the last SCAN_BEFORE above it, nearest first after those below it, up to where
    the body starts. Text inside the h1 itself and inside link lists is skipped."""
    root = tree.body
    if root is None or h1 is None:
        return
    before: list[tuple[LexborNode, str]] = []
    seen, budget = False, SCAN_AFTER
    for node in root.traverse(include_text=True, skip_empty=True):
        if not seen and node.mem_id == h1.mem_id:
            seen = True
            continue
        is_time = node.tag == "time"
        if not (node.is_text_node or is_time):
            continue
        if node.is_text_node and _in_time(node):
            continue  # read with its <time>
        text = clean(node.text(deep=True, separator=" ") if is_time else node.text_content)
        if not text:
            continue
        if node.is_text_node and node.parent is not None and node.parent.tag in UNPRINTED:
            # a script's or style's text is never printed: never read, and above the headline it
            # does not end the header; below it a long one still ends the search (what follows the
            # article's scripts is more often its footer, "Crafted by TemplatesYard", than a byline)
            if seen and len(text) > BODY_TEXT:
                break
            continue
        if seen:
            budget -= 1
            if budget < 0:
                break
            if contains(h1, node) or not in_main(node, plain_lists=True):
                continue
            yield node, text, True
            if len(text) > BODY_TEXT:
                break
        else:
            if len(text) > BODY_TEXT:
                before.clear()
            elif in_main(node, plain_lists=True) and not _in_masthead(node, h1):
                before.append((node, text))
                del before[:-SCAN_BEFORE]
    for node, text in reversed(before):
        yield node, text, False


def _in_masthead(node: LexborNode, h1: LexborNode) -> bool:
    """Inside a page header (<header>, role=banner) outside the article and <main> that does not
    hold the headline: the site's masthead, whose date is today's (the crawl date), not the
    article's. (A <header> of the article's own, printing its date over the title, is kept.)"""
    p = node.parent
    while p is not None:
        if p.tag == "header" or p.attributes.get("role") == "banner":
            return not contains(p, h1) and ancestor_in(p, _CONTENT) is None
        p = p.parent
    return False


_CONTENT = frozenset({"article", "main"})


def ancestor_in(node: LexborNode, tags: frozenset[str]) -> LexborNode | None:
    """The nearest ancestor whose tag is one of `tags`."""
    p = node.parent
    while p is not None:
        if p.tag in tags:
            return p
        p = p.parent
    return None


def _in_time(node: LexborNode) -> bool:
    p = node.parent
    for _ in range(3):
        if p is None:
            return False
        if p.tag == "time":
            return True
        p = p.parent
    return False
