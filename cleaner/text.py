"""Shape measures of a single line, shared by rules, heuristics and segmentation."""

from __future__ import annotations

from functools import lru_cache

from cleaner.cache import regex

WORD = regex(r"\w+(?:['’]\w+)*")
# A sentence ends in . ! ? … : ; (or CJK 。！？, the danda । ॥ of Hindi, Marathi and Bengali,
# Arabic ؟ and Urdu ۔) possibly followed by closing quotes or brackets, or on a bare closing
# quote. Checked with string operations: a `$`-anchored regex search walks the whole line
# from every position.
TERMINALS = ".!?…。！？।॥؟۔"
SENTENCE_PUNCT = TERMINALS + ":;"
CLOSERS = "\"'”’»)]」』“‘"  # “ and ‘ close German quotes („so“, ‚so‘)
BARE_QUOTES = '"”»」』'
INNER_PUNCT = regex(r"[.,;:!?]\s|[。、，！？]")
# Chinese and Japanese are written without spaces: two characters count as a word
CJK = regex(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
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


def alnum_key(text: str) -> str:
    """Letters and digits only, case-folded: the form in which a printed lead, a headline copy
    or a name is told the same as another whatever its punctuation and spacing."""
    return "".join(filter(str.isalnum, text.casefold()))  # filter with a C predicate: faster than a generator


def squash(text: str) -> str:
    """Collapse runs of white space and trim: the form lines are compared in."""
    return " ".join(text.split())


@lru_cache(maxsize=1 << 16)
def word_count(text: str) -> int:
    """Cached: every heuristic asks, often about the same line."""
    if text.isascii():
        return len(WORD.findall(text))
    cjk = len(CJK.findall(text))
    if not cjk:
        return len(WORD.findall(text))
    return len(WORD.findall(CJK.sub(" ", text))) + (cjk + 1) // 2


@lru_cache(maxsize=1 << 16)
def _last_before_closers(text: str) -> str:
    return text.rstrip().rstrip(CLOSERS)[-1:]


@lru_cache(maxsize=1 << 16)
def ends_sentence(text: str) -> bool:
    stripped = text.rstrip()
    last = _last_before_closers(stripped)
    return bool(last and last in SENTENCE_PUNCT) or bool(stripped) and stripped[-1] in BARE_QUOTES


def ends_terminal(text: str) -> bool:
    """Ends like a finished sentence (not a colon): headlines rarely do."""
    last = _last_before_closers(text)
    return bool(last) and last in TERMINALS


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
    last = _last_before_closers(text)
    if n >= 8 and last and last in SENTENCE_PUNCT:  # prose ends in punctuation, not on a bare quote
        return True
    return n >= 25 and bool(INNER_PUNCT.search(text))  # a long line, but not a tag cloud
