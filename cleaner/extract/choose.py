"""The recall guard: how much of the page's prose an extraction kept, and which candidate to keep.

One pass of one extractor can pick the wrong block (a caption and one paragraph, a
section's heading without its text) and lose most of an article. The guard measures the
page's prose (sentence-like blocks outside links and page chrome) and the prose each
candidate kept, by one shape test for both, so no text has to be matched. A candidate
other than the first is kept only when it holds far more prose; every candidate holds
only text of the page.

Constants were chosen on both development sets (aeb, and three quarters of trafeval; the
held-out quarter confirmed them), see README "Extraction": a guard that fired on pages
whose extraction was a small share of the page's prose lost aeb pages whose articles are
short beside long comment threads, so the guard looks at the kept prose's size too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from selectolax.lexbor import LexborHTMLParser

__all__ = [
    "RAW_PROSE",
    "Candidate",
    "choose",
    "gap_possible",
    "keeps_precise",
    "next_to_no_prose",
    "page_prose",
    "precise_enough",
    "prose_chars",
    "short_of_prose",
]

# The first pass is trafilatura's precision mode: it leaves out the non-article blocks its
# recall mode keeps (a contact box, "related" links, a subscription line after the story).
# It is kept alone when it holds PRECISE_SHARE of the page's prose; otherwise the recall mode
# runs too, and the precision pass is still kept when it holds SAME_PROSE of the recall pass's
# prose in fewer characters: it dropped only text that is not prose. Chosen on aeb and three
# quarters of trafeval (held-out quarter: +0.0027 F1), see README "Extraction".
PRECISE_SHARE = 0.7
SAME_PROSE = 0.9
# A pruned page with less prose than this, where the extraction kept little too, may hold its
# article where the pruning does not look (inside an <aside>, in a script's data that
# trafilatura reads from the raw page): trafilatura on the raw page is a candidate too (on
# both sets, 300 to 1500 gave the same result; 300 runs it least).
RAW_PROSE = 300

# An extraction with less prose than this may have missed the article...
GUARD_CHARS = 800
# ...when the page holds more prose than GUARD_RATIO times it plus GUARD_MARGIN characters;
# a fallback replaces it only when it holds as much more itself.
GUARD_RATIO = 1.5
GUARD_MARGIN = 300
# Whatever the extraction kept, a page holding more than GAP_RATIO times its prose plus
# GAP_MARGIN characters may hold an article it missed (a first part, a second section).
GAP_RATIO = 4.0
GAP_MARGIN = 1000

_WORD = re.compile(r"\w+")
_END = re.compile(r"[.!?…。！？:;\"'”»)]\s*$")
# never article text, or page chrome (link text is left out of every block's own text)
_SKIP = (
    "script, style, noscript, template, svg, nav, aside, footer, header, form, button, select, iframe,"
    " [id*=comment], [class*=comment]"  # reader comments are prose, not the article
)
_BLOCKS = "p, li, blockquote, dd, td, pre, h1, h2, h3, h4, h5, h6, div, section, article"
_INLINE = frozenset(
    ["span", "b", "i", "em", "strong", "u", "sup", "sub", "small", "mark", "q", "cite", "abbr", "time"]
    + ["font", "code", "label", "s", "del", "ins", "bdi", "bdo", "var", "kbd", "dfn"]
)


@dataclass
class Candidate:
    """One extraction of the page: its name (for the record's flags), its blocks' texts."""

    name: str
    texts: list[str] = field(default_factory=list)

    @cached_property
    def prose(self) -> int:
        """Counted once: the guard asks up to six times about the same candidate (its texts are
        never changed after it is made)."""
        return prose_chars(self.texts)

    @property
    def chars(self) -> int:
        return sum(len(t) for t in self.texts)


def is_prose_block(text: str) -> bool:
    """Sentence-like: ten words (or fifty characters, for scripts without spaces) ending
    like a sentence, or a long run of text whatever its end."""
    words = len(_WORD.findall(text))
    if words < 10 and len(text) < 50:
        return False
    return words >= 25 or _END.search(text) is not None


def prose_chars(texts: Iterable[str]) -> int:
    """Characters of the sentence-like texts among these."""
    return sum(len(t) for t in texts if is_prose_block(t))


def page_prose(page: str | LexborHTMLParser) -> int:
    """Characters of the page's own prose: each block element's own text (its text and inline
    children, not its block children, not its links) that is sentence-like, outside navigation,
    headers, footers, forms, asides and comment threads. Inline tags are unwrapped first, so
    the walk is one C-level text call per block. A parsed page is changed in place (chrome
    removed, inline tags unwrapped): pass one that is not needed afterwards."""
    tree = LexborHTMLParser(page) if isinstance(page, str) else page
    root = tree.body
    if root is None:
        return 0
    for node in root.css(_SKIP):
        node.decompose()
    tree.unwrap_tags(list(_INLINE))
    total = 0
    for node in root.css(_BLOCKS):
        text = " ".join(node.text(deep=False).split())
        if text and is_prose_block(text):
            total += len(text)
    return total


def precise_enough(precise: Candidate, page: int) -> bool:
    """The precision pass holds most of the page's prose: no second pass is needed."""
    kept = precise.prose
    return kept > 0 and kept >= PRECISE_SHARE * page


def keeps_precise(precise: Candidate, recall: Candidate) -> bool:
    """Both passes ran: the precision one is kept when it lost little of the recall one's
    prose and is shorter (what it left out is mostly not prose: chrome, link lists)."""
    kept = precise.prose
    return kept > 0 and kept >= SAME_PROSE * recall.prose and precise.chars < recall.chars


def next_to_no_prose(kept: int, page: int) -> bool:
    """The extraction kept little and the pruned page holds next to no prose."""
    return kept < GUARD_CHARS and page < RAW_PROSE


def short_of_prose(kept: int, page: int) -> bool:
    """The guard: the extraction kept little prose while the page holds much more, or kept
    a small part of a page holding far more prose (the gap)."""
    if kept < GUARD_CHARS:
        return page > GUARD_RATIO * kept + GUARD_MARGIN
    return gap_possible(kept, page)


def gap_possible(kept: int, page: int) -> bool:
    """The gap test, also used with an upper bound of the page's prose (its whole text) to skip
    measuring the prose on pages that cannot have a gap."""
    return page > GAP_RATIO * kept + GAP_MARGIN


def choose(first: Candidate, others: Iterable[Candidate]) -> Candidate:
    """The first candidate, unless another holds far more prose (the most of them)."""
    best, bar = first, GUARD_RATIO * first.prose + GUARD_MARGIN
    for other in others:
        if other.prose > bar and other.prose > best.prose:
            best = other
    return best
