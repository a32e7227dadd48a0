"""HTML page to article blocks: one lexbor parse, a safe pre-strip, trafilatura, kinds.

Why this shape (measured on the aeb development set, see bench/bench_html.py):
- only tags that never hold article text are stripped before trafilatura; generic
  substring selectors ([class*=sidebar]) cost 14 points of F1, so anything finer comes
  from a site rule (css_drop);
- trafilatura gets the pruned page serialised (smaller, no scripts or styles), runs in
  fast mode (no readability/justext fallbacks: better F1 here, and faster) with its
  process-wide dedup cache off (we dedup ourselves, order-independently);
- its XML body keeps structure, which becomes Block kinds for the line rules.

Hostile markup cannot stall or crash a run: nesting is capped before lexbor (whose tree
builder is quadratic in depth) and again before lxml (which silently drops everything
below depth 255), tags with thousands of attributes lose them, and any trafilatura
failure falls back to a plain walk of the selectolax tree.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import trafilatura
from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from cleaner.extract.choose import (
    RAW_PROSE,
    Candidate,
    choose,
    keeps_precise,
    next_to_no_prose,
    page_prose,
    precise_enough,
    prose_chars,
    short_of_prose,
)
from cleaner.extract.continued import box_page, sibling_parts
from cleaner.extract.lxml_page import parse as lxml_page
from cleaner.extract.meta import PageMeta, read_meta
from cleaner.extract.structured import article_body
from cleaner.inputs.decode import normalize_text

__all__ = [
    "KINDS",
    "SAFE_STRIP_TAGS",
    "Block",
    "Extraction",
    "extract",
    "extract_page",
    "fallback_blocks",
    "validate_css",
]

KINDS = ("p", "h", "li", "quote", "caption", "table", "pre")


@dataclass(slots=True)
class Block:
    """One block of article text, white space normalised, with its structural kind."""

    text: str
    kind: str  # one of KINDS


# Tags stripped (with their content) before trafilatura. None holds article text and
# trafilatura deletes each of them itself, so the output is the same and only time is
# saved: on aeb, F1 unchanged (0.9632) and 15 % more pages/s once nav/aside/footer are in.
# Left to trafilatura on purpose, measured on aeb: <form> (F1 -0.0055: ASP.NET wraps the
# whole page in one, trafilatura keeps such a form) and <header> (F1 -0.0059: standfirsts
# and first paragraphs live there on some sites).
SAFE_STRIP_TAGS: tuple[str, ...] = (
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed",
    "canvas", "video", "audio", "map", "select", "button", "input", "textarea", "link", "meta",
    "nav", "aside", "footer",
)  # fmt: skip
# For trafilatura's fast passes, the tags without text that it deletes itself (settings.
# MANUALLY_CLEANED, with no text inside) go too, and the head: the same blocks on 600 trafeval
# pages, both passes, and each pass 5-10 % faster (its XPath pruning walks every element left).
# Not <figure> (it keeps one holding a table), nor tags that may hold paragraphs (<label>,
# <fieldset>, <dialog>: its recall mode undoes its deletions when they leave no paragraph), nor
# <math> (it salvages formulas). The prose count, the kind hints and the slow fallback see the
# page before (readability and jusText score pages with their images).
_LEAN_STRIP_TAGS = ["head", "img", "picture", "source", "track", "area"]
# Inline tags trafilatura unwraps itself (settings.MANUALLY_STRIPPED), unwrapped for the fast passes:
# fewer elements for its XPath pruning, the same text.
_UNWRAP_TAGS = [
    "abbr", "acronym", "bdi", "bdo", "big", "cite", "data", "dfn", "font", "ins", "mark", "nobr", "ruby", "small",
]  # fmt: skip
# HTML comments, left out of the page handed to trafilatura (a serialised tree: every comment is
# whole, and none sits inside a script or style, stripped before): 1 node in 8 of trafeval's pruned
# pages was a comment.
_COMMENT = re.compile(r"<!--.*?-->", re.S)

# trafilatura settings, chosen by F1 on aeb (pages/s in the same run, ours end to end):
#   fast + favor_recall   0.9632  ~90/s   <- the recall pass
#   fast, balanced        0.9624  ~80/s   fast + favor_precision  0.9435 (recall 0.946)
#   not fast, recall      0.9592  ~75/s   not fast, balanced      0.9598  ~55/s
#   not fast, precision   0.9640  ~59/s   (+0.0008 for 35 % less speed; the generic line
#                                          heuristics downstream gain far more precision)
#   include_comments      -0.0017         include_tables=False    -0.0042
# Passing trafilatura an lxml tree instead of the serialised page: same time (it copies it).
_RECALL_ARGS: dict[str, Any] = {
    "fast": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    "deduplicate": False,
    "favor_precision": False,
    "favor_recall": True,
    "with_metadata": False,
    "output_format": "xml",  # the body tree is what we read; skips trafilatura's text rendering
}
# The first pass: fast and precise, kept where it holds most of the page's prose (about 4
# pages in 5); elsewhere the recall pass runs too and cleaner.extract.choose picks (issue 11:
# alone, precision mode loses recall on both sets; chosen per page, it gains on both).
_PRECISE_ARGS: dict[str, Any] = {**_RECALL_ARGS, "favor_precision": True, "favor_recall": False}

# The recall guard's fallback: trafilatura's default mode, with its readability and jusText
# comparisons (on trafeval, 0.925 F1 alone against 0.919 fast; slower, so run only when the
# guard fires).
_FALLBACK_ARGS: dict[str, Any] = {**_RECALL_ARGS, "fast": False, "favor_recall": False}

# Where the fast precision pass kept too little and the recall pass replaced it, trafilatura's
# precision mode with its readability and jusText comparisons is the precise candidate, under the
# same test (keeps_precise): the recall pass's extra text there is often chrome around a short
# article (a subscription box, a cookie notice, related headlines) that the full mode leaves out.
# It runs on the pages the recall pass was kept on (about 1 in 9 on trafeval), on the lean page the
# fast passes read: on those 105 trafeval pages, the same blocks as on the pruned page on 104 (the
# same choice on all), 2.4 s CPU against 2.9 s with the pruned page made again.
_FULL_PRECISE_ARGS: dict[str, Any] = {**_FALLBACK_ARGS, "favor_precision": True}

_log = logging.getLogger(__name__)


def validate_css(selector: str) -> None:
    """Raise ValueError if lexbor cannot use this selector (call it when loading rules)."""
    try:
        LexborHTMLParser("<html><body></body></html>").css(selector)
    except (SelectolaxError, ValueError, TypeError) as err:
        raise ValueError(f"invalid CSS selector {selector!r}: {err}") from None


@dataclass
class Extraction:
    """What extract_page gives: the blocks, the page metadata, and flags for the record
    (`extract/fallback-...` when the recall guard kept another candidate than the first)."""

    blocks: list[Block]
    meta: PageMeta
    flags: list[str] = field(default_factory=list)


def extract(
    html: str, *, url: str | None = None, css_drop: Sequence[str] = ()
) -> tuple[list[Block], PageMeta]:
    """Article blocks in document order, and the page metadata (extract_page without the flags)."""
    got = extract_page(html, url=url, css_drop=css_drop)
    return got.blocks, got.meta


def extract_page(html: str, *, url: str | None = None, css_drop: Sequence[str] = ()) -> Extraction:
    """Article blocks in document order, the page metadata, and how the blocks were chosen.

    Never raises on bad markup: the worst case is an empty list. A css_drop selector that
    lexbor cannot parse raises ValueError (rule files are checked with validate_css first).
    """
    for selector in css_drop:
        validate_css(selector)
    try:
        html = _defuse(html)  # htmldate and trafilatura's author search parse it too
        tree = LexborHTMLParser(html)
    except Exception:  # lexbor refusing a document is a bad page, not a crash
        _log.warning("lexbor could not parse %s", url)
        return Extraction([], PageMeta(url=url))
    try:
        meta = read_meta(tree, url, html)  # before the strip: JSON-LD lives in <script>, metadata in <meta>
    except Exception:  # metadata is a bonus: a broken JSON-LD must not lose the body
        _log.warning("metadata failed for %s", url, exc_info=True)
        meta = PageMeta(url=url)
    try:
        structured = article_body(tree)
    except Exception:
        _log.warning("JSON-LD body failed for %s", url, exc_info=True)
        structured = []

    blocks: list[Block] = []
    flags: list[str] = []
    changed = False
    try:
        _prune(tree, css_drop)
        hints = _kind_hints(tree)
        changed = True
        blocks, flags = _choose_blocks(_lean(tree), url, hints, structured, tree, (html, css_drop))
    except Exception:  # includes RecursionError on pathological nesting
        _log.warning("trafilatura failed on %s; falling back to the plain tree walk", url, exc_info=True)
    if not blocks:
        try:  # the tree was made lean and changed by the prose count: the page is pruned again
            blocks = fallback_blocks(LexborHTMLParser(_pruned_page(html, css_drop)) if changed else tree)
        except Exception:
            _log.warning("plain tree walk failed on %s", url, exc_info=True)
    return Extraction(blocks, meta, flags)


def _choose_blocks(
    lean: str,
    url: str | None,
    hints: dict[str, str],
    structured: list[str],
    tree: LexborHTMLParser,
    page_rules: tuple[str, Sequence[str]],
) -> tuple[list[Block], list[str]]:
    """The precision pass, unless it kept too little of the page's prose (cleaner.extract.choose):
    then the recall pass, and where that one is kept, trafilatura's precision mode with its own
    fallbacks when it holds as much prose in fewer characters; when the kept pass too kept little
    (the recall guard), trafilatura with its own fallbacks (readability, jusText) and the JSON-LD
    body, or, on a pruned page with next to no prose, trafilatura on the raw page; another
    candidate than the first is flagged. `lean` is the
    page the fast passes read, `tree` the pruned page (its prose is counted on it, which changes
    it), `page_rules` the raw page and the site's css_drop rules."""
    raw, css_drop = page_rules
    parsed = lxml_page(lean) if lean else None  # parsed once for the passes on the lean page (each copies it)
    precise = _run_trafilatura(lean, url, hints, _PRECISE_ARGS, parsed)
    first = Candidate("precise", [b.text for b in precise])
    # the page's prose: its HTML's, or its JSON-LD body's when the HTML holds only a teaser;
    # the page's whole text bounds its HTML's prose: a cheap first test
    body = prose_chars(structured)
    bound = max(_text_size(tree), body)
    if precise_enough(first, bound) and bound >= RAW_PROSE:
        return precise, []
    page = max(page_prose(tree), body)
    kept, blocks, flags = first, precise, []
    if not precise_enough(first, page):
        recall = _run_trafilatura(lean, url, hints, _RECALL_ARGS, parsed)
        second = Candidate("recall", [b.text for b in recall])
        if not keeps_precise(first, second):
            kept, blocks, flags = second, recall, ["extract/fallback-recall"]
            full = _run_trafilatura(lean, url, hints, _FULL_PRECISE_ARGS, parsed)
            third = Candidate("precise-full", [b.text for b in full])
            if keeps_precise(third, second):
                kept, blocks, flags = third, full, ["extract/fallback-precise-full"]
    found: dict[str, list[Block]] = {}
    if next_to_no_prose(kept.prose, page):
        found["raw"] = _run_trafilatura(
            _cap_depth(LexborHTMLParser(raw).html or ""), url, hints, _RECALL_ARGS
        )
    if short_of_prose(kept.prose, page):
        found["default"] = _run_trafilatura(_pruned_page(raw, css_drop), url, hints, _FALLBACK_ARGS)
        found["jsonld"] = [Block(_norm(t), "p") for t in structured]
    best = choose(kept, [Candidate(name, [b.text for b in got]) for name, got in found.items() if got])
    if best.name == kept.name:
        if not precise_enough(kept, page):
            blocks, flags = _with_sibling_parts(tree, blocks, flags)
        return blocks, flags
    return found[best.name], [f"extract/fallback-{best.name}"]


def _with_sibling_parts(
    tree: LexborHTMLParser, blocks: list[Block], flags: list[str]
) -> tuple[list[Block], list[str]]:
    """The kept blocks with the rest of an article printed in several boxes of one class
    (cleaner.extract.continued), each box's paragraphs by the plain tree walk; flagged."""
    before, after = sibling_parts(tree, [b.text for b in blocks])
    if not before and not after:
        return blocks, flags
    seen = {b.text for b in blocks}

    def walk(boxes: list[LexborNode]) -> list[Block]:
        got = [b for box in boxes for b in fallback_blocks(box_page(box))]
        return [b for b in got if b.text not in seen]

    first, rest = walk(before), walk(after)
    if not first and not rest:
        return blocks, flags
    return first + blocks + rest, [*flags, "extract/continued"]


def _text_size(tree: LexborHTMLParser) -> int:
    """Characters of the pruned page's text, white space runs counted once: a bound of its prose."""
    body = tree.body
    return len(" ".join(body.text(separator=" ").split())) if body is not None else 0


# ------------------------------------------------------------------ pruning


# Stripped tags that a browser draws as a box of their own: a space takes each one's place where
# words stand on both sides (_between_words), or they ran together ("Home<nav>...</nav>The story"
# gave "HomeThe story").
# Scripts, styles and the like are invisible: the words around them do touch on the page.
# (A <br> instead of the space also survives trafilatura's gluing of the text around a <div>
# holding only white space inside a quote, but changed one development-set page, for the worse.)
_BOX_TAGS = ", ".join(
    ["nav", "aside", "footer", "iframe", "object", "embed", "canvas", "video", "audio", "map", "select"]
    + ["button", "input", "textarea", "svg"]
)


# A <noscript> holding this much text is the page's script-free version (the whole site
# inside one, on a trafeval page), not a tracking pixel or a "please enable JavaScript" line.
NOSCRIPT_PAGE_CHARS = 2000


def _pruned_page(html: str, css_drop: Sequence[str]) -> str:
    """The page pruned and serialised, for trafilatura's default mode (the tree was made lean)."""
    tree = LexborHTMLParser(html)
    _prune(tree, css_drop)
    return _cap_depth(tree.html or "")


def _lean(tree: LexborHTMLParser) -> str:
    """The pruned tree without what trafilatura deletes itself, serialised for its fast passes."""
    tree.strip_tags(_LEAN_STRIP_TAGS, recursive=True)
    tree.unwrap_tags(_UNWRAP_TAGS)
    return _cap_depth(_COMMENT.sub("", tree.html or ""))


def _prune(tree: LexborHTMLParser, css_drop: Sequence[str]) -> None:
    for node in tree.css("noscript"):
        if len(node.text(deep=True)) > NOSCRIPT_PAGE_CHARS:
            node.unwrap()
    headline = _only_h1(tree)
    for holder in _asides_around(headline) if headline is not None else []:
        holder.unwrap()  # it holds the article, not a sidebar
    for node in tree.css(_BOX_TAGS):
        if _between_words(node):
            node.insert_before(" ")
    tree.strip_tags(list(SAFE_STRIP_TAGS), recursive=True)
    for selector in css_drop:
        for node in tree.css(selector):
            node.decompose()


def _between_words(node: LexborNode) -> bool:
    """Something stands on both sides of the box and neither side is white space already: only
    there can stripping it glue two words. A space put anywhere else is not harmless: a space
    before an <audio> alone in its <div> made trafilatura drop the loose paragraph after the
    following <form> (trafeval f79b41b5da6d52e2, 1337kultur.de, a podcast page's intro)."""
    before, after = node.prev, node.next
    if before is None or after is None:
        return False
    if before.tag == "-text" and (before.text_content or " ")[-1:].isspace():
        return False
    return not (after.tag == "-text" and (after.text_content or " ")[:1].isspace())


def _only_h1(tree: LexborHTMLParser) -> LexborNode | None:
    """The page's headline when it prints exactly one <h1>."""
    found = tree.css("h1")
    return found[0] if len(found) == 1 else None


def _asides_around(node: LexborNode) -> list[LexborNode]:
    """The <aside> elements around the page's one <h1>: they hold its article (a CMS printing the
    story in an <aside class="direct-content">), not a sidebar; stripped, the article was lost."""
    found, p = [], node.parent
    while p is not None:
        if p.tag == "aside":
            found.append(p)
        p = p.parent
    return found


# ------------------------------------------------------------------ hostile markup

# Depth caps. lexbor's tree builder costs O(depth) per start tag: 100,000 nested divs
# take 19 s, 1,000 take 1 ms. lxml (libxml2 without HUGE) silently drops the rest of
# the document beyond depth 255, so the serialised tree is capped below that. Real
# pages on aeb: at most 51 deep (exact scan); the crude count, inflated by "<" in inline
# scripts, reaches 513 on one page, still far below the raw cap.
_RAW_MAX_DEPTH = 1000
_LXML_MAX_DEPTH = 240
# A tag with more attributes than this loses all of them (lexbor and libxml2 are both
# quadratic in the number of distinct attributes: 100,000 cost 17 s and 14 s).
_MAX_ATTRS = 1000
_LONG_TAG = 8000  # characters: a tag this long may carry that many attributes

_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track"]
    + ["wbr", "keygen", "command", "basefont", "frame"]
)
# A block tag dropped below the cap leaves a space: its text ran into the next block's otherwise
# ("...observers.Union leaders..." from paragraphs 100,000 <div>s down). Inline tags leave nothing.
_BLOCK = frozenset(
    ["address", "article", "aside", "blockquote", "dd", "details", "dialog", "div", "dl", "dt", "fieldset"]
    + ["figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup"]
    + ["li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th"]
    + ["thead", "tr", "ul", "caption", "center", "option"]
)
# crude depth: every start tag but the void ones is +1, every end tag -1 (C-speed)
_CRUDE = re.compile(
    r"<(/?)(?!(?:area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)\b)[A-Za-z]", re.I
)
_STEP = {"": 1, "/": -1}.__getitem__
# exact scan: comments and raw-text elements are skipped whole. A tag holds no "<" (lexbor's
# serialisation escapes it in attribute values) and its parts are possessive (*+): with [^>]*, a
# start with no ">" after it backtracked through the rest of the page ("<a" * 1000: 4.5 s, cubic)
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|textarea|title|xmp)\b[^<>]*+>.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([A-Za-z][^\s/<>]*+)([^<>]*+)>",
    re.S | re.I,
)


# every start tag +1, void ones too: a bound of the crude depth, twice as fast to count
_BOUND = re.compile(r"<(/?)[A-Za-z]")


def _crude_depth(html: str) -> int:
    return max(accumulate(map(_STEP, _CRUDE.findall(html))), default=0)


def _deeper(html: str, limit: int) -> bool:
    """The crude depth is above the limit (its cheap bound first: most pages stop there)."""
    return max(accumulate(map(_STEP, _BOUND.findall(html))), default=0) > limit and _crude_depth(html) > limit


def _defuse(html: str) -> str:
    """Cap nesting and drop runaway attribute lists before lexbor sees the page.

    Two C-speed checks let ordinary pages through untouched (about 1 ms on a 300 KB page);
    only a suspicious page pays for the exact rewrite.
    """
    deep = _deeper(html, _RAW_MAX_DEPTH)
    if not deep and not _attribute_flood(html):
        return html
    return _rewrite(html, _RAW_MAX_DEPTH)


def _attribute_flood(html: str) -> bool:
    """A tag that _rewrite would strip: over _LONG_TAG characters and _MAX_ATTRS words. A tag is
    what follows the last "<" of a piece of the page that a ">" ends; only the pieces over
    _LONG_TAG characters are looked at, found by a search that starts at each ">" only (C speed;
    splitting the whole page on ">" cost 1.6 times as much, and a search for long tags from
    every position sent 53 of trafeval's pages, whose long tags are data attributes of a few
    words, to the rewrite for nothing)."""
    first = html.find(">")
    if first > _LONG_TAG and _flooded(html[:first]):
        return True
    return any(_flooded(m.group(1)) for m in _LONG_PIECE.finditer(html))


# a piece of the page between two ">" over _LONG_TAG characters (possessive: no backtracking)
_LONG_PIECE = re.compile(f">([^>]{{{_LONG_TAG + 1},}}+)(?=>)")


def _flooded(piece: str) -> bool:
    tag = piece[piece.rfind("<") + 1 :] if "<" in piece else ""
    return len(tag) > _LONG_TAG and tag[:1].isascii() and tag[:1].isalpha() and len(tag.split()) > _MAX_ATTRS


def _cap_depth(html: str) -> str:
    """Flatten a serialised (well-formed) tree below lxml's depth limit."""
    return _rewrite(html, _LXML_MAX_DEPTH) if _deeper(html, _LXML_MAX_DEPTH) else html


def _rewrite(html: str, max_depth: int) -> str:
    """Drop start/end tags nested deeper than max_depth (their text stays), and the
    attributes of any tag carrying more than _MAX_ATTRS, as browsers cap DOM depth."""
    out: list[str] = []
    last = depth = 0
    for m in _TOKEN.finditer(html):
        name = m.group(3)
        if name is None:
            continue  # comment or raw-text element: kept as it is
        attrs = m.group(4)
        gap = " " if name.lower() in _BLOCK else ""
        if m.group(2):  # end tag
            drop = depth > max_depth
            depth = max(depth - 1, 0)
            if drop:
                out.append(html[last : m.start()])
                out.append(gap)
                last = m.end()
            continue
        if name.lower() in _VOID or attrs.endswith("/"):
            replace = None
        else:
            depth += 1
            replace = gap if depth > max_depth else None
        if replace is None and len(attrs) > 8000 and len(attrs.split()) > _MAX_ATTRS:
            replace = f"<{name}>"
        if replace is not None:
            out.append(html[last : m.start()])
            out.append(replace)
            last = m.end()
    out.append(html[last:])
    return "".join(out)


# ------------------------------------------------------------------ trafilatura


def _norm(text: str) -> str:
    """One line of text: entities can bring zero-width and control characters back in."""
    return " ".join(normalize_text(text).split())


def _kind_hints(tree: LexborHTMLParser) -> dict[str, str]:
    """Texts of the page's captions and preformatted blocks, to give trafilatura's blocks
    their kind back: it renders <pre> as a quote and a table's <caption> as a row. (It drops
    figures with their figcaptions, and class=caption elements, before we see them.)"""
    hints: dict[str, str] = {}
    for kind, selector in (("pre", "pre"), ("caption", "figcaption, caption, [class*=caption]")):
        for node in tree.css(selector):
            text = _norm(node.text(deep=True, separator=" "))
            if text:
                hints.setdefault(text, kind)
    return hints


def _run_trafilatura(
    pruned: str, url: str | None, hints: dict[str, str], args: dict[str, Any], page: Any = None
) -> list[Block]:
    """trafilatura's blocks of the page `pruned`; `page`: its lxml tree (lxml_page) when the caller
    has it (trafilatura works on a copy: the tree serves another pass unchanged)."""
    if not pruned:
        return []
    if page is None:
        page = lxml_page(pruned)  # what trafilatura would parse, parsed faster
    if page is None:
        return []
    doc = trafilatura.bare_extraction(page, url=url, **args)
    body = getattr(doc, "body", None)
    if body is None:
        return []
    for lb in body.iter("lb"):
        lb.text = " "  # a <br> separates words
    blocks: list[Block] = []
    _emit(body, blocks)
    for block in blocks:
        hinted = hints.get(block.text)
        if hinted == "pre" and block.kind in ("quote", "p", "pre"):
            block.kind = "pre"
        elif hinted == "caption" and block.kind in ("p", "table"):
            block.kind = "caption"  # a loose caption paragraph, or a <table>'s <caption> row
    return blocks


_TRAFILATURA_KIND = {"p": "p", "head": "h", "quote": "quote", "code": "pre", "item": "li", "list": "li"}
_NESTED = frozenset({"list", "item", "p", "head", "quote", "table", "code"})


def _text(el: Any) -> str:
    """White-space-normalised text of an element and its descendants.

    Pieces are joined with nothing (inline markup can split a word); line breaks were given
    a space as their text beforehand.
    """
    return _norm("".join(el.itertext()))


def _emit(el: Any, out: list[Block], inherited: str | None = None) -> None:
    """Append the blocks of one trafilatura element, in document order.

    Loose text between blocks (a body-level tail after a heading, text after a sub-list)
    is a block of its own: trafilatura's own text output keeps it, so must we.
    """
    tag = el.tag
    if not isinstance(tag, str) or tag == "graphic":
        return
    if tag == "table":
        for row in el.iter("row"):
            cells = [_text(c) for c in row if isinstance(c.tag, str)]
            text = " | ".join(c for c in cells if c)
            if text:
                out.append(Block(text, "table"))
        return
    own_kind = inherited or _TRAFILATURA_KIND.get(tag, "p")
    if tag not in ("body", "list") and not any(c.tag in _NESTED for c in el):
        text = _text(el)
        if text:
            out.append(Block(text, own_kind))
        return
    # a container: the body, a list, an item with a sub-list, a quote made of paragraphs
    pending = [el.text or ""]
    for child in el:
        if child.tag in _NESTED:
            _flush(pending, own_kind, out)
            if tag == "quote":
                child_kind: str | None = "quote"
            elif tag == "item" and child.tag == "p":
                child_kind = "li"
            else:
                child_kind = inherited
            _emit(child, out, child_kind)
        elif isinstance(child.tag, str) and child.tag != "graphic":
            pending.extend(child.itertext())  # inline markup: hi, ref, lb
        pending.append(child.tail or "")
    _flush(pending, own_kind, out)


def _flush(pending: list[str], kind: str, out: list[Block]) -> None:
    text = _norm("".join(pending))
    if text:
        out.append(Block(text, kind))
    pending.clear()


# ------------------------------------------------------------------ fallback

_FALLBACK_SELECTOR = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption"
_FALLBACK_KIND = {"p": "p", "li": "li", "blockquote": "quote", "pre": "pre", "figcaption": "caption"}


def fallback_blocks(tree: LexborHTMLParser) -> list[Block]:
    """Paragraph-level text straight from the (pruned) selectolax tree.

    Used when trafilatura finds nothing, so the line heuristics still get a chance.
    Only innermost matches are taken (an li made of p gives its p), each with the kind of
    its nearest quoting/listing ancestor.
    """
    root = tree.body or tree.root
    if root is None:
        return []
    out: list[Block] = []
    matches = root.css(_FALLBACK_SELECTOR)  # document order: a container comes before its parts
    depths: dict[int, int] = {}
    for i, node in enumerate(matches):
        if node.tag != "pre" and i + 1 < len(matches) and _inside(matches[i + 1], node, depths):
            continue
        text = _norm(node.text(deep=True, separator=" "))
        if text:
            out.append(Block(text, _fallback_kind(node)))
    return out


def _depth(node: LexborNode, memo: dict[int, int]) -> int:
    """The node's depth in the tree, memoised: the walk up stops at the first node measured before."""
    chain: list[LexborNode] = []
    up: LexborNode | None = node
    while up is not None and up.mem_id not in memo:
        chain.append(up)
        up = up.parent
    depth = memo[up.mem_id] if up is not None else -1
    for n in reversed(chain):
        depth += 1
        memo[n.mem_id] = depth
    return depth


def _inside(other: LexborNode, node: LexborNode, memo: dict[int, int]) -> bool:
    """True when `other` lies inside `node`: its ancestor at node's depth is node.

    Walking from `other` up to the root instead cost the page's depth for every match:
    100,000 sibling paragraphs under 1,000 capped <div>s took 4 s; this is linear.
    """
    steps = _depth(other, memo) - _depth(node, memo)
    up: LexborNode | None = other
    for _ in range(steps):
        up = up.parent if up is not None else None
    return steps > 0 and up is not None and up.mem_id == node.mem_id


def _fallback_kind(node: LexborNode) -> str:
    tag = node.tag or "p"
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "h"
    kind = _FALLBACK_KIND.get(tag, "p")
    if kind == "p":
        p = node.parent
        for _ in range(4):
            if p is None:
                break
            if p.tag in ("blockquote", "li", "figcaption"):
                return _FALLBACK_KIND[p.tag]
            p = p.parent
    return kind
