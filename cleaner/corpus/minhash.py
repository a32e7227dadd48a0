"""Dedup's hashing, vectorised with numpy over batches of bodies (cleaner.corpus.dedup has the
method): exact keys, shingle hashes, MinHash signatures, LSH band keys and candidate pairs,
shingle sets and their Jaccard similarity.

Imported only by a run that needs it: a corpus too large for cleaner.corpus.minhash_small,
which computes the same numbers in plain Python (numpy takes 0.1-0.2 s to import).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import xxhash

from cleaner.corpus.bodies import MIX1, MIX2, SHINGLE_MUL, TOKEN_BASE, DedupParams, _batches, _prenormalise

_U64 = np.uint64
_MIX1 = _U64(MIX1)
_MIX2 = _U64(MIX2)
_BASE = TOKEN_BASE
_BASE_INV = pow(_BASE, -1, 1 << 64)
_SHINGLE_MUL = _U64(SHINGLE_MUL)
_BATCH_BYTES = 1 << 18  # body text hashed in one numpy batch: its uint64 temporaries stay in cache
_MINHASH_CHUNK = 8192  # shingles per MinHash block: a 128 x 8192 uint64 block stays in cache

# Word bytes of UTF-8: ASCII letters, digits, underscore and every byte of a non-ASCII character.
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _WORD_BYTE[_c] = True
_WORD_BYTE[0x80:] = True
# White space left after NFKC and folding: ASCII only (the rest is folded to " " or is a word byte).
_SPACE_BYTE = np.zeros(256, dtype=bool)
_SPACE_BYTE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True


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


def features(pre: Sequence[str], k: int) -> tuple[list[bytes], np.ndarray, np.ndarray, np.ndarray]:
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


def minhash(x: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
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


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 key per (record, band): the band's rows hashed together, shape (n, bands)."""
    keys = np.empty((sig.shape[0], bands), dtype=np.uint64)
    for t in range(bands):
        h = np.full(sig.shape[0], t + 1, dtype=np.uint64)
        for c in range(t * rows, (t + 1) * rows):
            h *= _SHINGLE_MUL
            h += sig[:, c].astype(np.uint64)
        keys[:, t] = _mix64(h)
    return keys


def candidate_pairs(keys: np.ndarray) -> np.ndarray:
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


def lsh_pairs(searchable: Sequence[int], bands: np.ndarray) -> np.ndarray:
    """Candidate pairs, as ranks, from the band keys of the `searchable` ranks' records (in that order)."""
    cand = candidate_pairs(bands)
    return np.asarray(searchable, dtype=np.int64)[cand] if len(cand) else cand


def jaccard(x: np.ndarray, y: np.ndarray) -> float:
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


# --------------------------------------------------------------------------------------------
# The search


def permutations(params: DedupParams) -> tuple[np.ndarray, np.ndarray]:
    """MinHash's odd multipliers `a` and even offsets `b`, one per permutation, drawn from the seed."""
    rng = np.random.default_rng(params.seed)
    a = rng.integers(1, 1 << 63, size=params.num_perm, dtype=np.uint64) * _U64(2) + _U64(1)
    b = rng.integers(0, 1 << 63, size=params.num_perm, dtype=np.uint64) * _U64(2)
    return a, b


def prepare(
    records: list[dict[str, Any]], params: DedupParams
) -> tuple[list[bytes], np.ndarray, np.ndarray, np.ndarray]:
    """Exact keys, normalised lengths, MinHash signatures of all records, batch by batch, and
    which records have a signature (a body with at least one shingle)."""
    a, b = permutations(params)
    n = len(records)
    has_sig = np.zeros(n, dtype=bool)
    keys: list[bytes] = []
    lengths = np.zeros(n, dtype=np.int64)
    sig = np.full((n, params.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    raw_len = [len(r.get("text") or "") for r in records]
    for lo, hi in _batches(raw_len, _BATCH_BYTES):
        pre = [_prenormalise(r.get("text") or "") for r in records[lo:hi]]
        bkeys, blen, sh, offsets = features(pre, params.shingle)
        keys.extend(bkeys)
        lengths[lo:hi] = blen
        rows = np.flatnonzero(np.diff(offsets) > 0)
        if len(rows):
            sig[lo + rows] = minhash(sh >> _U64(32), offsets, a, b)
            has_sig[lo + rows] = True
    return keys, lengths, sig, has_sig


def shingle_sets(records: list[dict[str, Any]], which: np.ndarray, k: int) -> dict[int, np.ndarray]:
    """Sorted unique shingle hashes of the given records (only those in candidate pairs)."""
    out: dict[int, np.ndarray] = {}
    idx = [int(i) for i in which]
    raw_len = [len(records[i].get("text") or "") for i in idx]
    for lo, hi in _batches(raw_len, _BATCH_BYTES):
        pre = [_prenormalise(records[i].get("text") or "") for i in idx[lo:hi]]
        _, _, sh, offsets = features(pre, k)
        for m, i in enumerate(idx[lo:hi]):
            out[i] = np.unique(sh[offsets[m] : offsets[m + 1]])
    return out


def star_pairs(buckets: Iterable[Sequence[int]]) -> np.ndarray:
    """Candidate pairs from LSH buckets of ranks: each bucket's best rank with every other member."""
    found = [(min(b), r) for b in buckets if len(b) > 1 for r in b if r != min(b)]
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.asarray(found, dtype=np.int64), axis=0)
