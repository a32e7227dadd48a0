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

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cleaner.corpus.bodies import DedupParams, _prenormalise, body_key, normalise_body

__all__ = ["DedupParams", "DedupResult", "body_key", "dedup", "is_originator", "lsh_curve", "normalise_body"]


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


# Below this much body text (characters) a corpus is hashed in plain Python
# (cleaner.corpus.minhash_small): importing numpy would cost more than the hashing.
SMALL_CORPUS_CHARS = 20_000


def small_corpus(chars: int, params: DedupParams) -> bool:
    """Whether a corpus of `chars` characters of body text takes the plain-Python path (the same
    results as numpy's; only the time differs)."""
    from cleaner.corpus import minhash_small

    return chars <= SMALL_CORPUS_CHARS and minhash_small.fits(params)


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


@dataclass
class Ranked:
    """Every record's place in rank order and its exact group: the state both engines share."""

    order: list[int]  # input index of the record at each rank
    rank: list[int]  # rank of each input index
    keys: list[bytes]  # exact keys, in rank order
    empty: list[bool]  # empty bodies, in rank order
    first_of: dict[bytes, int]  # exact key -> rank of its best member
    uf: _UnionFind
    searchable: list[int]  # ranks of exact-group representatives with a signature, ascending


def _as_list(values: Iterable[Any]) -> list[Any]:
    """A numpy array's values as Python scalars, or a sequence as a list."""
    tolist = getattr(values, "tolist", None)
    return list(tolist() if tolist else values)


def rank_records(
    rank_keys: Sequence[tuple[Any, ...]],
    keys: Sequence[bytes],
    lengths: Iterable[int],
    has_sig: Iterable[bool],
) -> Ranked:
    """Sort by the kept-copy preference and join exact copies: the order-independent core
    (plain lists, so a small run needs no numpy: cleaner.corpus.minhash_small)."""
    n = len(keys)
    order = sorted(range(n), key=lambda i: rank_keys[i])
    rank = [0] * n
    for r, i in enumerate(order):
        rank[i] = r
    r_keys = [keys[i] for i in order]
    all_lengths, all_sig = _as_list(lengths), _as_list(has_sig)
    r_empty = [all_lengths[i] == 0 for i in order]
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
    searchable = [r for r in reps if all_sig[order[r]]]
    return Ranked(order, rank, r_keys, r_empty, first_of, uf, searchable)


def resolve(
    ranked: Ranked,
    cand: Collection[Any],
    sets: dict[int, Any],
    sources: Sequence[dict[str, Any]],
    params: DedupParams,
    similarity: Callable[[Any, Any], float] | None = None,
) -> tuple[dict[int, dict[str, Any]], set[int], dict[str, int]]:
    """Verify candidate pairs (ranks, with shingle sets by rank), cluster, and say what each record gets.

    `sources` holds each input record's `id` and `source` (input order). `similarity` is the
    Jaccard similarity of two shingle sets as `sets` holds them (default: numpy's sorted
    arrays, cleaner.corpus.minhash.jaccard). Returns the keys to add to each input index,
    the input indices that are copies, and counts.
    """
    n, uf, r_keys, first_of = len(ranked.order), ranked.uf, ranked.keys, ranked.first_of
    if similarity is None and len(cand):
        from cleaner.corpus.minhash import jaccard as similarity
    verified = 0
    for i, j in _as_list(cand):
        assert similarity is not None
        if similarity(sets[i], sets[j]) >= params.threshold:
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
                assert similarity is not None  # a near copy came from a candidate pair
                dup_of[r] = (root, round(similarity(x, sets[root]), 4), "near")

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
        r = ranked.rank[i]
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
        "empty": sum(ranked.empty),
        "candidate_pairs": len(cand),
        "verified_pairs": verified,
    }
    return marks, copy_indices, counts


def search_small(
    ranked: Ranked, shingles: Sequence[Sequence[int]], params: DedupParams
) -> tuple[list[tuple[int, int]], dict[int, set[int]]]:
    """A small corpus's candidate pairs (ranks) and the shingle sets of their records by rank,
    from each input record's shingle hashes (cleaner.corpus.minhash_small): no MinHash at
    all while fewer than two records are searched."""
    from cleaner.corpus.minhash_small import band_keys, candidate_pairs, signature

    rows = ranked.searchable
    if len(rows) < 2:
        return [], {}
    keys = [band_keys(signature(shingles[ranked.order[r]]), params.bands, params.rows) for r in rows]
    cand = [(rows[i], rows[j]) for i, j in candidate_pairs(keys)]
    wanted = sorted({r for pair in cand for r in pair})
    return cand, {r: set(shingles[ranked.order[r]]) for r in wanted}


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
    if small_corpus(sum(len(r.get("text") or "") for r in recs), params):
        from cleaner.corpus import minhash_small

        feats = [minhash_small.features(_prenormalise(r.get("text") or ""), params.shingle) for r in recs]
        ranked = rank_records(
            [_rank_key(r, feats[i][1]) for i, r in enumerate(recs)],
            [f[0] for f in feats],
            [f[1] for f in feats],
            [bool(f[2]) for f in feats],
        )
        cand, sets = search_small(ranked, [f[2] for f in feats], params)
        marks, copy_indices, counts = resolve(ranked, cand, sets, recs, params, minhash_small.jaccard)
    else:
        marks, copy_indices, counts = _dedup_numpy(recs, params)

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


def _dedup_numpy(
    recs: list[dict[str, Any]], params: DedupParams
) -> tuple[dict[int, dict[str, Any]], set[int], dict[str, int]]:
    """dedup's search on a corpus of any size, vectorised (cleaner.corpus.minhash)."""
    import numpy as np

    from cleaner.corpus.minhash import band_keys, lsh_pairs, prepare, shingle_sets

    keys, lengths, sig, has_sig = prepare(recs, params)
    ranked = rank_records([_rank_key(r, int(lengths[i])) for i, r in enumerate(recs)], keys, lengths, has_sig)
    r_sig = sig[ranked.order] if len(recs) else sig
    del sig
    cand = lsh_pairs(ranked.searchable, band_keys(r_sig[ranked.searchable], params.bands, params.rows))
    r_recs = [recs[i] for i in ranked.order]
    sets = shingle_sets(r_recs, np.unique(cand), params.shingle) if len(cand) else {}
    return resolve(ranked, cand, sets, recs, params)
