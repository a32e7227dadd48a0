"""Exact and near-duplicate articles across the corpus, with a deterministic kept copy.

Why here, after cleaning: chrome inflates the similarity of unrelated pages of one site
and hides real copies under different sites' chrome, so only cleaned bodies are compared.

Exact duplicates
    Key = 128-bit xxh3 of the *normalised* body: NFKC, casefold, curly quotes, primes and
    guillemets straightened, en/em dashes and minus signs made "-", zero-width characters
    dropped, every run of white space (paragraph breaks included) made one space.  So a
    copy that only differs in quote style, case or spacing is an exact copy (similarity 1.0).

Near duplicates
    Tokens are runs of word bytes of the normalised body in UTF-8 (ASCII letters, digits,
    "_" and every non-ASCII byte, so Cyrillic or accented words stay whole); shingles are
    ``shingle`` consecutive tokens (a body shorter than that is one shingle).  Tokens and
    shingles are hashed with numpy for a whole batch of bodies at once (polynomial hash
    of the bytes via prefix sums, then the splitmix64 finaliser), never one Python call
    per shingle.  MinHash uses ``num_perm`` multiply-add-shift hashes
    ``((a*x + b) mod 2**64) >> 32`` of the shingle's 32-bit hash x (strongly universal for
    32-bit keys, Dietzfelbinger 1996), computed for all permutations at once; signatures
    are an ``n x num_perm`` uint32 matrix (512 bytes a record at 128 permutations).
    LSH: ``bands`` bands of ``rows`` rows; each band is hashed to one uint64 key, and
    buckets are found by sorting the keys (np.argsort), not with dicts.  In every bucket
    the best-ranked record (see below) is paired with each other member.  Candidate pairs
    are verified with the exact Jaccard similarity of their shingle-hash sets (computed
    only for records in a candidate pair), kept when >= ``threshold``, and joined into
    clusters by union-find.

    P(a pair of Jaccard s is a candidate) = 1 - (1 - s**rows)**bands.  Defaults, 32 x 4:

        s        0.2    0.3    0.4    0.5    0.6    0.7    0.8
        32 x 4   0.050  0.229  0.564  0.873  0.988  1.000  1.000
        14 x 8   0.000  0.001  0.009  0.053  0.211  0.565  0.924   (for comparison)

    A copy usually has several near copies in its cluster, so a pair the bands miss is
    mostly joined through a third member (bench/bench_dedup.py measures it end to end).

Parameters were chosen on make_dupset.py's corpus built from the aeb development set
(710 pages, 582 true pairs; bench/bench_dedup.py).  With bodies as planted, true pairs
have Jaccard >= 0.54 (3-word shingles; 0.50 with 5) and distinct articles <= 0.24; with
the crude "lines of 8+ words ending in punctuation" cleaning, leftover chrome pulls true
pairs down and pushes one false pair (a page whose chrome carries another article) up to
0.69.  Clustering all pairs by exact Jaccard on the crude bodies gave P/R 0.971/0.969 at
0.4, 0.996/0.955 at 0.5, 0.998/0.930 at 0.6; containment instead of Jaccard fell below
P 0.9; shingle sizes 3, 4 and 5 scored alike and 3 keeps the widest margin for edited
copies.  So: shingle 3, threshold 0.5, 128 permutations in 32 bands of 4 rows, which
finds the same clusters as the all-pairs search there (P 0.9964, R 0.9553; planted
bodies 1.0/1.0), where 16 x 8 loses recall (0.85).  Different articles on one topic stay
far below: the seed pages' TASS and Sputnik stories on Lavrov and Aleppo have Jaccard <= 0.016.

Kept copy: the best record of a cluster by (earliest ``published``, None last; the wire
originator, i.e. a record whose ``outlet`` or site name equals its own dateline agency;
the longest normalised body in UTF-8 bytes; ``id``; ``source.path``; ``source.segment``).
Every step works on records in that rank order, so the clusters, the kept records and
the ``duplicate_of`` links do not depend on the order the records come in.  Records with an
empty body are never merged, not even with each other.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import xxhash

__all__ = ["DedupParams", "DedupResult", "body_key", "dedup", "is_originator", "lsh_curve", "normalise_body"]

_U64 = np.uint64
_MASK64 = (1 << 64) - 1
_MIX1 = _U64(0xBF58476D1CE4E5B9)
_MIX2 = _U64(0x94D049BB133111EB)
_BASE = 0x100000001B3 * 2 + 1  # odd: invertible mod 2**64, so prefix hashes can be rebased
_BASE_INV = pow(_BASE, -1, 1 << 64)
_SHINGLE_MUL = _U64(0x9E3779B97F4A7C15)
_BATCH_BYTES = 1 << 18  # body text hashed in one numpy batch: its uint64 temporaries stay in cache
_MINHASH_CHUNK = 8192  # shingles per MinHash block: a 128 x 8192 uint64 block stays in cache

# Characters folded before hashing: typography that differs between copies of one text.
_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2039": "'", "\u203a": "'", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "",
    "\ufeff": "", "\u00ad": "", "\u0085": " ", "\u1680": " ", "\u2028": " ", "\u2029": " ",
}  # fmt: skip
_FOLD_CHARS = frozenset(_FOLD)

# Word bytes of UTF-8: ASCII letters, digits, underscore and every byte of a non-ASCII character.
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _WORD_BYTE[_c] = True
_WORD_BYTE[0x80:] = True
# White space left after NFKC and folding: ASCII only (the rest is folded to " " or is a word byte).
_SPACE_BYTE = np.zeros(256, dtype=bool)
_SPACE_BYTE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True


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


@dataclass
class DedupResult:
    """Kept records and copies, both in input order, and counts for stats.json.

    `kept`: every record that is not a copy, with `copies` ([] when it has none); with
    keep_duplicates, the copies too, in place.  `duplicates`: every copy, with
    `duplicate_of`, `similarity` and `reason` (with keep_duplicates: the same dicts as in
    `kept`).  `counts`: records, unique, exact, near, clusters (with 2+ members), empty,
    candidate_pairs, verified_pairs.
    """

    kept: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]
    counts: dict[str, int] = field(default_factory=dict)


def lsh_curve(bands: int, rows: int, similarities: Sequence[float]) -> list[float]:
    """P(candidate) = 1 - (1 - s**rows)**bands for each similarity s."""
    return [1.0 - (1.0 - s**rows) ** bands for s in similarities]


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


# --------------------------------------------------------------------------------------------
# Hashing, vectorised over a batch of bodies


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the output (in place, returns x)."""
    x ^= x >> _U64(30)
    x *= _MIX1
    x ^= x >> _U64(27)
    x *= _MIX2
    x ^= x >> _U64(31)
    return x


_pow_cache: dict[str, np.ndarray] = {}


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i mod 2**64 for i < n (cached up to a few batches' size)."""
    have = _pow_cache.get("pow")
    if have is None or len(have) < n:
        size = max(n, 1 << 16)
        pw = np.full(size, _BASE, dtype=np.uint64)
        pw[0] = 1
        np.cumprod(pw, out=pw)
        inv = np.full(size, _BASE_INV, dtype=np.uint64)
        inv[0] = 1
        np.cumprod(inv, out=inv)
        if size > 4 * _BATCH_BYTES:  # one huge body: do not keep its tables for the process's life
            return pw[:n], inv[:n]
        _pow_cache["pow"], _pow_cache["inv"] = pw, inv
    return _pow_cache["pow"][:n], _pow_cache["inv"][:n]


def _features(pre: Sequence[str], k: int) -> tuple[list[bytes], np.ndarray, np.ndarray, np.ndarray]:
    """Exact keys, lengths and k-word shingle hashes of a batch of prenormalised bodies.

    Returns (keys, lengths in UTF-8 bytes after collapsing white space, shingle hashes
    flat, shingle offsets of length len(pre)+1).  All bodies are joined with a newline, so
    one pass of numpy collapses white space and finds the tokens of the whole batch; a
    token's hash is its polynomial byte hash (prefix sums) rebased to its first byte.
    """
    enc = [s.encode("utf-8") for s in pre]
    nb = len(enc)
    lens = np.fromiter((len(e) for e in enc), dtype=np.int64, count=nb)
    doc_start = np.zeros(nb, dtype=np.int64)
    if nb > 1:
        np.cumsum(lens[:-1] + 1, out=doc_start[1:])
    buf = np.frombuffer(b"\n".join(enc), dtype=np.uint8)
    del enc

    # Exact keys: each run of white space becomes one space; bodies are already stripped,
    # so a body is the span from its first to its last byte in the collapsed stream.
    space = _SPACE_BYTE[buf]
    keep = ~space
    keep[1:] |= ~space[:-1]
    if len(keep):
        keep[0] = True
    collapsed = memoryview(np.where(space, np.uint8(32), buf)[keep].tobytes())
    cpos = np.cumsum(keep) - 1
    full = lens > 0
    c_lo = np.zeros(nb, dtype=np.int64)
    c_hi = np.zeros(nb, dtype=np.int64)
    c_lo[full] = cpos[doc_start[full]]
    c_hi[full] = cpos[doc_start[full] + lens[full] - 1] + 1
    keys = [
        xxhash.xxh3_128_digest(collapsed[lo:hi]) for lo, hi in zip(c_lo.tolist(), c_hi.tolist(), strict=True)
    ]
    del space, keep, cpos, collapsed

    word = _WORD_BYTE[buf].view(np.int8)
    edge = np.diff(word, prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edge == 1)
    ends = np.flatnonzero(edge == -1)
    del word, edge
    pw, inv = _powers(len(buf))
    prefix = np.zeros(len(buf) + 1, dtype=np.uint64)
    np.cumsum(buf.astype(np.uint64) * pw, out=prefix[1:])
    tok = (prefix[ends] - prefix[starts]) * inv[starts]
    del prefix
    tok += (ends - starts).astype(np.uint64)
    _mix64(tok)

    ntok = np.bincount(np.searchsorted(doc_start, starts, side="right") - 1, minlength=nb)
    tok_first = np.zeros(nb, dtype=np.int64)
    if nb > 1:
        np.cumsum(ntok[:-1], out=tok_first[1:])
    nsh = np.where(ntok > 0, np.maximum(ntok - k + 1, 1), 0)
    offsets = np.zeros(nb + 1, dtype=np.int64)
    np.cumsum(nsh, out=offsets[1:])
    total = int(offsets[-1])
    if total == 0:
        return keys, c_hi - c_lo, np.zeros(0, dtype=np.uint64), offsets
    pos = np.arange(total, dtype=np.int64) + np.repeat(tok_first - offsets[:-1], nsh)
    end = np.repeat(tok_first + ntok, nsh)
    sh = tok[pos].copy()
    last = len(tok) - 1
    for j in range(1, k):
        idx = pos + j
        nxt = tok[np.minimum(idx, last)]
        nxt[idx >= end] = 0  # a body shorter than k words is one shingle, padded
        sh *= _SHINGLE_MUL
        sh += nxt
    return keys, c_hi - c_lo, _mix64(sh), offsets


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


def _minhash(x: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """uint32 signatures (one row per body with shingles) of 32-bit shingle hashes `x`.

    The min is taken on the full 64-bit products and shifted afterwards: flooring is
    monotone, so the result equals the min of the shifted hashes with one pass less.
    """
    counts = np.diff(offsets)
    docs = np.flatnonzero(counts > 0)
    out = np.empty((len(docs), len(a)), dtype=np.uint32)
    buf = np.empty((len(a), _MINHASH_CHUNK), dtype=np.uint64)
    a2, b2 = a[:, None], b[:, None]
    starts, ends = offsets[docs].tolist(), offsets[docs + 1].tolist()
    i = 0
    while i < len(docs):
        lo = starts[i]
        j = i + 1
        while j < len(docs) and ends[j] - lo <= _MINHASH_CHUNK:
            j += 1
        hi = ends[j - 1]
        if j - i == 1 and hi - lo > _MINHASH_CHUNK:  # one long body: running min over blocks
            acc = np.full(len(a), np.iinfo(np.uint64).max, dtype=np.uint64)
            for s in range(lo, hi, _MINHASH_CHUNK):
                blk = buf[:, : min(_MINHASH_CHUNK, hi - s)]
                np.multiply(a2, x[None, s : s + blk.shape[1]], out=blk)
                blk += b2
                np.minimum(acc, blk.min(axis=1), out=acc)
            out[i] = (acc >> _U64(32)).astype(np.uint32)
        else:
            blk = buf[:, : hi - lo]
            np.multiply(a2, x[None, lo:hi], out=blk)
            blk += b2
            seg = np.asarray(starts[i:j], dtype=np.intp) - lo
            out[i:j] = (np.minimum.reduceat(blk, seg, axis=1).T >> _U64(32)).astype(np.uint32)
        i = j
    return out


def _band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 key per (record, band): the band's rows hashed together, shape (n, bands)."""
    keys = np.empty((sig.shape[0], bands), dtype=np.uint64)
    for t in range(bands):
        h = np.full(sig.shape[0], t + 1, dtype=np.uint64)
        for c in range(t * rows, (t + 1) * rows):
            h *= _SHINGLE_MUL
            h += sig[:, c].astype(np.uint64)
        keys[:, t] = _mix64(h)
    return keys


def _candidate_pairs(keys: np.ndarray) -> np.ndarray:
    """(m, 2) int64 pairs (i < j) of rows sharing a bucket in some band.

    Rows are in rank order and the sort is stable, so each bucket's first row is its
    best-ranked member; it is paired with every other member (a star, not all pairs,
    so a story syndicated a thousand times costs a thousand pairs, not half a million).
    """
    found = []
    for t in range(keys.shape[1]):
        col = keys[:, t]
        order = np.argsort(col, kind="stable")
        ks = col[order]
        same = ks[1:] == ks[:-1]
        if not same.any():
            continue
        run_start = np.flatnonzero(np.concatenate(([True], ~same)))
        run_of = np.cumsum(np.concatenate(([True], ~same))) - 1
        member = np.flatnonzero(np.concatenate(([False], same)))
        first = order[run_start[run_of[member]]]
        found.append(np.stack([first, order[member]], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found).astype(np.int64), axis=0)


def lsh_pairs(ranked: Ranked, bands: np.ndarray) -> np.ndarray:
    """Candidate pairs, as ranks, from the band keys of `ranked.searchable`'s records (in that order)."""
    cand = _candidate_pairs(bands)
    return ranked.searchable[cand] if len(cand) else cand


def _jaccard(x: np.ndarray, y: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique arrays: a binary search of the smaller in the
    larger (measured 3x faster than np.intersect1d, which sorts the two joined)."""
    if x.size > y.size:
        x, y = y, x
    if x.size == 0:
        return 0.0 if y.size else 1.0
    at = np.searchsorted(y, x)
    at[at == y.size] = 0
    inter = int(np.count_nonzero(y[at] == x))
    return inter / (x.size + y.size - inter)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:  # the smaller index (better rank) becomes the root
            self.parent[max(rx, ry)] = min(rx, ry)


# --------------------------------------------------------------------------------------------
# Ranking


def _name(value: Any) -> str:
    return "".join(ch for ch in str(value).casefold() if ch.isalnum()) if value else ""


def is_originator(rec: dict[str, Any]) -> bool:
    """True when the record is the wire agency's own copy: outlet (or site name) = dateline agency."""
    dateline = rec.get("dateline") or {}
    agency = _name(dateline.get("agency") if isinstance(dateline, dict) else None)
    if not agency:
        return False
    if agency == _name(rec.get("outlet")):
        return True
    site = str(rec.get("site") or "").casefold().removeprefix("www.")
    return bool(site) and agency == _name(site.split(".")[0])


def _rank_key(rec: dict[str, Any], length: int) -> tuple[Any, ...]:
    src = rec.get("source") or {}
    published = rec.get("published")
    return (
        published is None,
        str(published or ""),
        not is_originator(rec),
        -length,
        str(rec.get("id") or ""),
        str(src.get("path") or ""),
        int(src.get("segment") or 0),
    )


# --------------------------------------------------------------------------------------------
# The search


def _prepare(
    records: list[dict[str, Any]], params: DedupParams
) -> tuple[list[bytes], np.ndarray, np.ndarray]:
    """Exact keys, normalised lengths and MinHash signatures of all records, batch by batch."""
    rng = np.random.default_rng(params.seed)
    a = rng.integers(1, 1 << 63, size=params.num_perm, dtype=np.uint64) * _U64(2) + _U64(1)
    b = rng.integers(0, 1 << 63, size=params.num_perm, dtype=np.uint64) * _U64(2)
    n = len(records)
    keys: list[bytes] = []
    lengths = np.zeros(n, dtype=np.int64)
    sig = np.full((n, params.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    raw_len = [len(r.get("text") or "") for r in records]
    for lo, hi in _batches(raw_len, _BATCH_BYTES):
        pre = [_prenormalise(r.get("text") or "") for r in records[lo:hi]]
        bkeys, blen, sh, offsets = _features(pre, params.shingle)
        keys.extend(bkeys)
        lengths[lo:hi] = blen
        rows = np.flatnonzero(np.diff(offsets) > 0)
        if len(rows):
            sig[lo + rows] = _minhash(sh >> _U64(32), offsets, a, b)
    return keys, lengths, sig


def _shingle_sets(records: list[dict[str, Any]], which: np.ndarray, k: int) -> dict[int, np.ndarray]:
    """Sorted unique shingle hashes of the given records (only those in candidate pairs)."""
    out: dict[int, np.ndarray] = {}
    idx = [int(i) for i in which]
    raw_len = [len(records[i].get("text") or "") for i in idx]
    for lo, hi in _batches(raw_len, _BATCH_BYTES):
        pre = [_prenormalise(records[i].get("text") or "") for i in idx[lo:hi]]
        _, _, sh, offsets = _features(pre, k)
        for m, i in enumerate(idx[lo:hi]):
            out[i] = np.unique(sh[offsets[m] : offsets[m + 1]])
    return out


@dataclass
class Ranked:
    """Every record's place in rank order and its exact group: the state both engines share."""

    order: list[int]  # input index of the record at each rank
    rank: np.ndarray  # rank of each input index
    keys: list[bytes]  # exact keys, in rank order
    empty: np.ndarray  # empty bodies, in rank order
    first_of: dict[bytes, int]  # exact key -> rank of its best member
    uf: _UnionFind
    searchable: np.ndarray  # ranks of exact-group representatives with a signature, ascending


def rank_records(
    rank_keys: Sequence[tuple[Any, ...]], keys: Sequence[bytes], lengths: np.ndarray, has_sig: np.ndarray
) -> Ranked:
    """Sort by the kept-copy preference and join exact copies: the order-independent core."""
    n = len(keys)
    order = sorted(range(n), key=lambda i: rank_keys[i])
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    r_keys = [keys[i] for i in order]
    r_empty = np.asarray(lengths, dtype=np.int64)[order] == 0 if n else np.zeros(0, dtype=bool)
    uf = _UnionFind(n)
    first_of: dict[bytes, int] = {}
    reps = []  # rank of each exact group's best member, the only ones searched for near copies
    for r in range(n):
        if r_empty[r]:
            continue
        key = r_keys[r]
        if key in first_of:
            uf.union(first_of[key], r)
        else:
            first_of[key] = r
            reps.append(r)
    reps_arr = np.asarray(reps, dtype=np.int64)
    r_has_sig = np.asarray(has_sig, dtype=bool)[order] if n else np.zeros(0, dtype=bool)
    searchable = reps_arr[r_has_sig[reps_arr]] if len(reps_arr) else reps_arr
    return Ranked(order, rank, r_keys, r_empty, first_of, uf, searchable)


def star_pairs(buckets: Iterable[Sequence[int]]) -> np.ndarray:
    """Candidate pairs from LSH buckets of ranks: each bucket's best rank with every other member."""
    found = [(min(b), r) for b in buckets if len(b) > 1 for r in b if r != min(b)]
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.asarray(found, dtype=np.int64), axis=0)


def resolve(
    ranked: Ranked,
    cand: np.ndarray,
    sets: dict[int, np.ndarray],
    sources: Sequence[dict[str, Any]],
    params: DedupParams,
) -> tuple[dict[int, dict[str, Any]], set[int], dict[str, int]]:
    """Verify candidate pairs (ranks, with shingle sets by rank), cluster, and say what each record gets.

    `sources` holds each input record's `id` and `source` (input order). Returns the keys
    to add to each input index, the input indices that are copies, and counts.
    """
    n, uf, r_keys, first_of = len(ranked.order), ranked.uf, ranked.keys, ranked.first_of
    verified = 0
    for i, j in cand.tolist():
        if _jaccard(sets[i], sets[j]) >= params.threshold:
            uf.union(i, j)
            verified += 1

    clusters: dict[int, list[int]] = {}
    for r in range(n):
        clusters.setdefault(uf.find(r), []).append(r)

    # Links: every member of a cluster points to its root, the best-ranked member.
    dup_of: dict[int, tuple[int, float, str]] = {}
    for root, members in clusters.items():
        for r in members[1:]:
            if r_keys[r] == r_keys[root]:
                dup_of[r] = (root, 1.0, "exact")
            else:
                x = sets.get(r)
                if x is None:  # an exact copy of a searched member: same shingles as its group's first
                    x = sets[first_of[r_keys[r]]]
                dup_of[r] = (root, round(_jaccard(x, sets[root]), 4), "near")

    def at(r: int) -> dict[str, Any]:
        return sources[ranked.order[r]]

    copies: dict[int, list[dict[str, Any]]] = {}
    for r in sorted(dup_of):
        root, sim, reason = dup_of[r]
        rec = at(r)
        copies.setdefault(root, []).append(
            {
                "id": rec.get("id"),
                "path": (rec.get("source") or {}).get("path"),
                "similarity": sim,
                "reason": reason,
            }
        )

    marks: dict[int, dict[str, Any]] = {}
    copy_indices: set[int] = set()
    for i in range(n):
        r = int(ranked.rank[i])
        if r in dup_of:
            root, sim, reason = dup_of[r]
            marks[i] = {"duplicate_of": at(root).get("id"), "similarity": sim, "reason": reason}
            copy_indices.add(i)
        else:
            marks[i] = {"copies": copies.get(r, [])}

    reasons = [v[2] for v in dup_of.values()]
    counts = {
        "records": n,
        "unique": n - len(dup_of),
        "exact": reasons.count("exact"),
        "near": reasons.count("near"),
        "clusters": sum(1 for m in clusters.values() if len(m) > 1),
        "empty": int(ranked.empty.sum()),
        "candidate_pairs": len(cand),
        "verified_pairs": verified,
    }
    return marks, copy_indices, counts


def signature_rows(sig: np.ndarray) -> np.ndarray:
    """Which records have a MinHash signature (a body with at least one shingle)."""
    return (sig != np.iinfo(np.uint32).max).any(axis=1) if len(sig) else np.zeros(0, dtype=bool)


def dedup(
    records: Iterable[dict[str, Any]],
    *,
    params: DedupParams | None = None,
    keep_duplicates: bool | None = None,
) -> DedupResult:
    """Find exact and near copies; keep the best record of each cluster (see module doc).

    `keep_duplicates`, when given, overrides `params.keep_duplicates`. The steps are the
    ones cleaner.run.dask_engine runs as group-bys on a cluster, so both give the same result.
    """
    params = params or DedupParams()
    if keep_duplicates is not None and keep_duplicates != params.keep_duplicates:
        params = replace(params, keep_duplicates=keep_duplicates)
    recs = list(records)
    keys, lengths, sig = _prepare(recs, params)
    ranked = rank_records(
        [_rank_key(r, int(lengths[i])) for i, r in enumerate(recs)], keys, lengths, signature_rows(sig)
    )
    r_sig = sig[ranked.order] if len(recs) else sig
    del sig
    searchable = ranked.searchable
    cand = lsh_pairs(ranked, _band_keys(r_sig[searchable], params.bands, params.rows))
    r_recs = [recs[i] for i in ranked.order]
    sets = _shingle_sets(r_recs, np.unique(cand), params.shingle) if len(cand) else {}
    marks, copy_indices, counts = resolve(ranked, cand, sets, recs, params)

    kept: list[dict[str, Any]] = []
    dups: list[dict[str, Any]] = []
    for i, rec in enumerate(recs):
        out = dict(rec)
        out.update(marks[i])
        if i in copy_indices:
            dups.append(out)
            if params.keep_duplicates:
                kept.append(out)
        else:
            kept.append(out)
    return DedupResult(kept=kept, duplicates=dups, counts=counts)
