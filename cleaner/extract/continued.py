"""An article printed in several boxes of one class: the boxes the extractor did not keep.

Some sites print the body in several containers of the same tag and class with only an
advert slot between them (`div.body__container` on Condé Nast sites: one box per screen,
"Advertisement" and an empty rail in between). An extractor that settles on one container
keeps that part only: a third of the article, and nothing left out looks like chrome. Such
a page shows itself by shape alone: the kept paragraphs are children of a classed box, other
boxes of the very same tag and class hold prose of their own, and what stands between two
boxes is next to nothing: no heading, no link, a label at most.

What looks alike and is not one article: a blog's front page (the same box for every post,
each opening with its title), related stories printed in full or as teasers (links and
headlines between them), a page's layout grid (`col-lg-6` boxes hold the article's
paragraphs only further down, never as their parent). Measured on both development sets
(README "Extraction").
"""

from __future__ import annotations

from collections.abc import Iterable

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner.extract.choose import is_prose_block
from cleaner.text import alnum_key

__all__ = ["box_page", "sibling_parts"]

# A kept paragraph is found on the page by its first letters and digits (the extractor's
# text and the tree's differ in white space and entities); shorter ones are not looked up.
_KEY_CHARS = 80
_MIN_KEY = 30
# A box counts when it holds a screenful of prose in <p>s, mostly outside links: a box with
# one paragraph beside the article is a widget (a donation appeal, an author's note) on
# sites that put every block in the same box (Elementor's `elementor-widget-container`).
_BOX_PARAGRAPHS = 2
_BOX_PROSE = 400
_MAX_LINK_SHARE = 0.3
# Between two parts of one article: an advert's label at most ("Advertisement", "Anzeige").
_GAP_CHARS = 40
_HEADINGS = frozenset({"h1", "h2", "h3"})


def sibling_parts(tree: LexborHTMLParser, kept: Iterable[str]) -> tuple[list[LexborNode], list[LexborNode]]:
    """The boxes holding the rest of the article, before the kept part and after it, in page
    order ([], [] when the page is not one article split into boxes). `kept` are the
    extracted blocks' texts; the tree is the pruned page."""
    root = tree.body
    if root is None:
        return [], []
    wanted = {k for k in map(_key, kept) if len(k) >= _MIN_KEY}
    found = [node for node in root.css("p") if _key(node.text(deep=True)) in wanted]
    if not found:
        return [], []
    box = _common_ancestor(found[0], found[-1])
    if box is not None and box.tag == "p":
        box = box.parent
    if box is None or box.mem_id == root.mem_id:
        return [], []
    return _parts(root, box)


def box_page(box: LexborNode) -> LexborHTMLParser:
    """One box parsed on its own, without its link lists ("More great stories" under the last
    part): what is left is walked for the article's paragraphs."""
    page = LexborHTMLParser(box.html or "")
    for node in page.css("ul, ol"):
        if _linked(node):
            node.decompose()
    return page


def _key(text: str) -> str:
    return alnum_key(text)[:_KEY_CHARS]


def _parts(root: LexborNode, box: LexborNode) -> tuple[list[LexborNode], list[LexborNode]]:
    """The boxes of `box`'s tag and class next to it, with next to nothing between, holding prose."""
    cls, tag = box.attributes.get("class"), box.tag
    if not cls or not tag or tag in _HEADINGS:
        return [], []
    lineage = _lineage(box)
    boxes = [
        node
        for node in root.traverse(include_text=False)
        if node.tag == tag
        and node.attributes.get("class") == cls
        and (node.mem_id == box.mem_id or node.mem_id not in lineage)
    ]
    if len(boxes) < 2:
        return [], []
    inside = {n.mem_id for b in boxes for n in b.traverse(include_text=True) if n.mem_id != b.mem_id}
    starts = {b.mem_id for b in boxes if b.mem_id not in inside}  # a box in a box is part of it
    if box.mem_id not in starts:
        return [], []
    # the page in order as boxes, with what stands between two of them: its text and links
    order: list[LexborNode] = []
    gap_before: list[bool] = []  # True: too much between this box and the one before
    gap, links = 0, 0
    for node in root.traverse(include_text=True):
        if node.mem_id in starts:
            order.append(node)
            gap_before.append(gap > _GAP_CHARS or links > 0)
            gap, links = 0, 0
        elif node.mem_id in inside:
            continue
        elif node.tag in _HEADINGS or node.tag == "a":
            links += 1  # a heading between two boxes parts them as a link does
        elif node.tag == "-text":
            gap += len((node.text_content or "").strip())
    at = next(i for i, node in enumerate(order) if node.mem_id == box.mem_id)
    before: list[LexborNode] = []
    for i in range(at, 0, -1):
        if gap_before[i] or _titled(order[i]) or _titled(order[i - 1]):
            break
        before.append(order[i - 1])
    after: list[LexborNode] = []
    for i in range(at + 1, len(order)):
        if gap_before[i] or _titled(order[i]):
            break
        after.append(order[i])
    return [b for b in reversed(before) if _prose_box(b)], [b for b in after if _prose_box(b)]


def _titled(box: LexborNode) -> bool:
    """The box opens with a heading before any prose: a post of its own (a blog's front page
    prints each post in the same box, its title inside), not the next part of one article."""
    for node in box.traverse(include_text=False):
        if node.tag in _HEADINGS:
            return True
        if node.tag == "p" and is_prose_block(" ".join(node.text(deep=True).split())):
            return False
    return False


def _prose_box(node: LexborNode) -> bool:
    if _linked(node):
        return False
    lines = [" ".join(p.text(deep=True).split()) for p in node.css("p")]
    prose = [len(line) for line in lines if is_prose_block(line)]
    return len(prose) >= _BOX_PARAGRAPHS and sum(prose) >= _BOX_PROSE


def _linked(node: LexborNode) -> bool:
    """Links hold more than _MAX_LINK_SHARE of the node's text (or it has none)."""
    text = " ".join(node.text(deep=True).split())
    links = sum(len(" ".join(a.text(deep=True).split())) for a in node.css("a"))
    return not text or links > _MAX_LINK_SHARE * len(text)


def _lineage(node: LexborNode) -> set[int]:
    ids = set()
    up: LexborNode | None = node
    while up is not None:
        ids.add(up.mem_id)
        up = up.parent
    return ids


def _common_ancestor(first: LexborNode, last: LexborNode) -> LexborNode | None:
    lineage = _lineage(first)
    up: LexborNode | None = last
    while up is not None and up.mem_id not in lineage:
        up = up.parent
    return up
