"""What dedup's two hashing paths share (cleaner.corpus.minhash with numpy, .minhash_small
without): the normalised form of a body, its exact key, the search's parameters, and the
batching of bodies. The method is described in cleaner.corpus.dedup."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import xxhash

# Characters folded before hashing: typography that differs between copies of one text.
_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2039": "'", "\u203a": "'", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "",
    "\ufeff": "", "\u00ad": "", "\u0085": " ", "\u1680": " ", "\u2028": " ", "\u2029": " ",
}  # fmt: skip
_FOLD_CHARS = frozenset(_FOLD)

# The hash constants both paths compute with (one definition, so they cannot drift apart):
# the splitmix64 finaliser's multipliers, the token hash's base (odd: invertible mod 2**64,
# so prefix hashes can be rebased) and the shingle and band combiner's multiplier.
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB
TOKEN_BASE = 0x100000001B3 * 2 + 1
SHINGLE_MUL = 0x9E3779B97F4A7C15


@dataclass(frozen=True)
class DedupParams:
    """Knobs of the near-duplicate search; the defaults are the measured choice (module doc)."""

    shingle: int = 3  # words per shingle
    num_perm: int = 128  # MinHash permutations
    bands: int = 32  # LSH bands ...
    rows: int = 4  # ... of this many rows each (bands * rows <= num_perm)
    threshold: float = 0.5  # exact Jaccard of shingle sets needed to call two bodies copies
    seed: int = 1  # MinHash hash family; results are deterministic for a given seed
    keep_duplicates: bool = False  # keep copies in `kept`, only marked

    def __post_init__(self) -> None:
        if self.shingle < 1 or self.bands < 1 or self.rows < 1:
            raise ValueError("shingle, bands and rows must be >= 1")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands * rows = {self.bands * self.rows} > num_perm = {self.num_perm}")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")


def _prenormalise(text: str) -> str:
    """NFKC, typography folded, casefold; white space not yet collapsed (numpy does it in bulk)."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if not _FOLD_CHARS.isdisjoint(text):
        for src, dst in _FOLD.items():
            if src in text:
                text = text.replace(src, dst)
    return (text.lower() if text.isascii() else text.casefold()).strip()


def normalise_body(text: str) -> str:
    """The form two copies of one text share: NFKC, casefold, typography folded, spaces collapsed."""
    return " ".join(_prenormalise(text).split())


def body_key(text: str) -> bytes:
    """Exact-duplicate key: 16-byte xxh3 of the normalised body (UTF-8)."""
    return xxhash.xxh3_128_digest(normalise_body(text).encode("utf-8"))


def _batches(lengths: Sequence[int], budget: int) -> Iterable[tuple[int, int]]:
    """Index ranges whose summed lengths stay near `budget` (one long item makes its own)."""
    lo, acc = 0, 0
    for i, n in enumerate(lengths):
        if acc and acc + n > budget:
            yield lo, i
            lo, acc = i, 0
        acc += n + 1
    if lo < len(lengths):
        yield lo, len(lengths)
