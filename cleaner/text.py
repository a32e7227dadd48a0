"""Shape measures of a single line, shared by rules, heuristics and segmentation."""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"\w+(?:['’]\w+)*")
SPACES = re.compile(r"\s+")
# A sentence ends in . ! ? … possibly followed by closing quotes or brackets.
SENTENCE_END = re.compile(r"[.!?…:;。！？][\"'”’»)\]」』]*$|[\"”»」』]$")
# prose ends in punctuation: a line that ends on a bare closing quote is usually a headline
PROSE_END = re.compile(r"[.!?…:;。！？][\"'”’»)\]」』]*$")
INNER_PUNCT = re.compile(r"[.,;:!?]\s|[。、，！？]")
# Chinese and Japanese are written without spaces: two characters count as a word
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TERMINAL = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$")
SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "over",
        "the",
        "to",
        "up",
        "via",
        "vs",
        "with",
        "without",
        "de",
        "la",
        "le",
        "du",
        "des",
        "el",
        "los",
        "las",
        "y",
        "en",
        "del",
        "da",
        "do",
        "das",
        "dos",
        "e",
    ]
)


def squash(text: str) -> str:
    """Collapse runs of white space and trim: the form lines are compared in."""
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return WORD.findall(text)


@lru_cache(maxsize=1 << 16)
def word_count(text: str) -> int:
    """Cached: every heuristic asks, often about the same line."""
    cjk = len(CJK.findall(text))
    if not cjk:
        return len(WORD.findall(text))
    return len(WORD.findall(CJK.sub(" ", text))) + (cjk + 1) // 2


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text.rstrip()))


def ends_terminal(text: str) -> bool:
    """Ends like a finished sentence (not a colon): headlines rarely do."""
    return bool(TERMINAL.search(text.rstrip()))


@lru_cache(maxsize=1 << 16)
def capitalised_share(text: str) -> float:
    """Share of content words that start with a capital: near 1.0 for Title Case link text."""
    ws = [w for w in WORD.findall(text) if w.lower() not in SMALL_WORDS and not w.isdigit()]
    if not ws:
        return 0.0
    return sum(1 for w in ws if w[0].isupper()) / len(ws)


@lru_cache(maxsize=1 << 16)
def is_prose(text: str) -> bool:
    """A line that reads like running text: long enough and finished like a sentence."""
    n = word_count(text)
    if n >= 8 and PROSE_END.search(text.rstrip()):
        return True
    return n >= 25 and bool(INNER_PUNCT.search(text))  # a long line, but not a tag cloud
