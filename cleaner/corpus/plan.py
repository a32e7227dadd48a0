"""The corpus-wide steps, in passes over the spooled chunks so memory stays flat.

1. count: per-site paragraph counts (cleaner.corpus.repeated_lines), hashed chunk by chunk;
2. decide: dedup (cleaner.corpus.dedup) on slim copies of the records (the fields dedup reads,
   with repeated lines already stripped): keys and MinHash band keys are computed chunk
   by chunk, ranking and LSH buckets here, then the shingle sets of the candidates only,
   giving each copy its `duplicate_of` and each kept record its `copies`;
3. apply: every full record read again chunk by chunk, repeated lines stripped, dedup
   marks added, serialised; the caller writes the bytes in chunk order.

The passes over chunks run in the local engine's worker processes (`--workers`); only
small keys (and, last, each chunk's serialised records) come back, so neither the records
nor their texts are ever all in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from cleaner.corpus.dedup import (
    DedupParams,
    _prenormalise,
    _rank_key,
    rank_records,
    resolve,
    search_small,
    small_corpus,
)
from cleaner.corpus.repeated_lines import count_story_lines, frequent_lines, story_lines, strip_repeated
from cleaner.corpus.tally import SiteTally
from cleaner.outputs.write import dumps

# map(function, items, setup) -> results in input order; `setup` (a function and its arguments)
# runs once in each worker first (cleaner.engine.chunk_map)
Setup = tuple[Callable[..., None], tuple[Any, ...]] | None
ChunkMap = Callable[[Callable[[Any], Any], Sequence[Any], Setup], Iterable[Any]]


def spool_slim(record: dict[str, Any]) -> dict[str, Any]:
    """What the passes below read of a record (the spool keeps it beside each chunk)."""
    return {**slim(record), "headline": record.get("headline")}


def read_spool_file(path: Path) -> list[dict[str, Any]]:
    """One spool file, a JSON object a line: a chunk's page entries, or its slim records."""
    with path.open("rb") as fh:
        return [orjson.loads(line) for line in fh]


SLIM_FIELDS = ("id", "text", "published", "outlet", "dateline", "site")


def slim(record: dict[str, Any]) -> dict[str, Any]:
    """The fields dedup reads, and the source path its `copies` list names."""
    out = {key: record.get(key) for key in SLIM_FIELDS}
    source = record.get("source")
    out["source"] = (
        {"path": source.get("path"), "segment": source.get("segment")} if isinstance(source, dict) else source
    )
    return out


@dataclass
class CorpusPlan:
    """What the corpus-wide steps decided, to be applied record by record."""

    frequent: set[tuple[str, int]]
    marks: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> keys dedup adds to that record
    duplicates: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    keep_duplicates: bool = False
    chunk_ids: list[list[str]] = field(default_factory=list)  # each spool chunk's record ids, in order

    def apply_jobs(self, chunks: Sequence[Path]) -> list[tuple[Path, dict[str, Any], set[str]]]:
        """chunk_apply's work: each spool chunk with the dedup marks and copies among its records."""
        jobs = []
        for chunk, ids in zip(chunks, self.chunk_ids, strict=True):
            marks = {i: self.marks[i] for i in ids if i in self.marks}
            jobs.append((chunk, marks, {i for i in ids if i in self.duplicates}))
        return jobs


# ---------------------------------------------------------------- the plan, chunk by chunk
#
# Each pass maps a function over the spool's chunks (in worker processes when there are
# several: cleaner.engine.chunk_map) and merges small results here. What reads text (the
# paragraph hashes, MinHash, shingles) runs where the chunks are; only keys come back, so
# memory holds a few hundred bytes a record, never the texts.


@dataclass
class _PlanState:
    frequent: set[tuple[str, int]] = field(default_factory=set)
    params: DedupParams = field(default_factory=DedupParams)
    keep_duplicates: bool = False


_STATE = _PlanState()


def set_plan_state(frequent: set[tuple[str, int]], params: DedupParams) -> None:
    """What passes 2 and 3 need in every worker: sent once per worker, not once per chunk."""
    _STATE.frequent, _STATE.params = frequent, params


def chunk_stories(path: Path) -> list[tuple[str, bytes, list[int]] | None]:
    """Pass 1: each record's site, story and paragraph hashes (cleaner.corpus.repeated_lines)."""
    return [story_lines(r) for r in read_spool_file(path)]


def _slims(path: Path) -> list[dict[str, Any]]:
    return [slim(strip_repeated(r, _STATE.frequent)) for r in read_spool_file(path)]


def chunk_features(path: Path) -> dict[str, Any]:
    """Pass 2: what ranking and LSH need of each record (its text stays in the worker)."""
    from cleaner.corpus.minhash import band_keys, prepare

    recs, params = _slims(path), _STATE.params
    keys, lengths, sig, has_sig = prepare(recs, params)
    return {
        "rank_keys": [_rank_key(r, int(lengths[i])) for i, r in enumerate(recs)],
        "keys": keys,
        "lengths": lengths,
        "has_sig": has_sig,
        "bands": band_keys(sig, params.bands, params.rows),
        "sources": [{"id": r.get("id"), "source": r.get("source")} for r in recs],
    }


def chunk_features_small(path: Path) -> dict[str, Any]:
    """Pass 2 of a small corpus, in plain Python: each record's shingle hashes come back too
    (a few thousand numbers), MinHash is left for the few records that need it."""
    from cleaner.corpus.minhash_small import features

    recs, params = _slims(path), _STATE.params
    feats = [features(_prenormalise(r.get("text") or ""), params.shingle) for r in recs]
    return {
        "rank_keys": [_rank_key(r, feats[i][1]) for i, r in enumerate(recs)],
        "keys": [f[0] for f in feats],
        "lengths": [f[1] for f in feats],
        "has_sig": [bool(f[2]) for f in feats],
        "shingles": [f[2] for f in feats],
        "sources": [{"id": r.get("id"), "source": r.get("source")} for r in recs],
    }


def chunk_shingles(job: tuple[Path, list[int]]) -> dict[int, Any]:
    """Pass 3: sorted shingle hashes of the chunk's records in candidate pairs, by index in the chunk."""
    import numpy as np

    from cleaner.corpus.minhash import shingle_sets

    path, wanted = job
    return shingle_sets(_slims(path), np.asarray(wanted, dtype=np.int64), _STATE.params.shingle)


def _spool_chars(chunks: Sequence[Path]) -> int:
    """An upper bound of the slim files' body text in characters (their size in bytes)."""
    total = 0
    for chunk in chunks:
        try:
            total += chunk.stat().st_size
        except OSError:
            return 1 << 62
    return total


def plan(
    chunks: Sequence[Path],
    chunk_map: ChunkMap,
    keep_duplicates: bool = False,
    params: DedupParams | None = None,
) -> CorpusPlan:
    """Repeated lines and dedup over the spooled chunks: the same decisions as
    cleaner.dedup.dedup on every record at once (tests/test_engine.py compares them)."""
    params = params or DedupParams()
    frequent = frequent_lines(
        count_story_lines(s for stories in chunk_map(chunk_stories, chunks, None) for s in stories)
    )
    setup: Setup = (set_plan_state, (frequent, params))
    if small_corpus(_spool_chars(chunks), params):
        from cleaner.corpus import minhash_small

        parts = list(chunk_map(chunk_features_small, chunks, setup))
        starts = [0]
        for p in parts:
            starts.append(starts[-1] + len(p["keys"]))
        sources = [s for p in parts for s in p["sources"]]
        ranked = rank_records(
            [k for p in parts for k in p["rank_keys"]],
            [k for p in parts for k in p["keys"]],
            [n for p in parts for n in p["lengths"]],
            [h for p in parts for h in p["has_sig"]],
        )
        cand, sets = search_small(ranked, [x for p in parts for x in p["shingles"]], params)
        marks, copy_indices, counts = resolve(ranked, cand, sets, sources, params, minhash_small.jaccard)
    else:
        starts, sources, (marks, copy_indices, counts) = _plan_numpy(chunks, chunk_map, setup, params)
    n = starts[-1]
    out = CorpusPlan(frequent=frequent, counts=counts, keep_duplicates=keep_duplicates)
    out.marks = {str(sources[i]["id"]): marks[i] for i in range(n)}
    out.duplicates = {str(sources[i]["id"]) for i in copy_indices}
    out.chunk_ids = [[str(s["id"]) for s in sources[starts[k] : starts[k + 1]]] for k in range(len(chunks))]
    return out


def _plan_numpy(
    chunks: Sequence[Path], chunk_map: ChunkMap, setup: Setup, params: DedupParams
) -> tuple[list[int], list[dict[str, Any]], tuple[dict[int, dict[str, Any]], set[int], dict[str, int]]]:
    """Dedup's passes over a corpus of any size, vectorised (cleaner.corpus.minhash): each
    chunk's first ordinal, every record's id and source, and what resolve says."""
    import numpy as np

    from cleaner.corpus.minhash import lsh_pairs

    parts = list(chunk_map(chunk_features, chunks, setup))
    starts = np.cumsum([0] + [len(p["keys"]) for p in parts])
    n = int(starts[-1])
    sources = [s for p in parts for s in p["sources"]]
    ranked = rank_records(
        [k for p in parts for k in p["rank_keys"]],
        [k for p in parts for k in p["keys"]],
        np.concatenate([p["lengths"] for p in parts]) if n else np.zeros(0, dtype=np.int64),
        np.concatenate([p["has_sig"] for p in parts]) if n else np.zeros(0, dtype=bool),
    )
    cand = np.zeros((0, 2), dtype=np.int64)
    if n and len(ranked.searchable):
        bands = np.concatenate([p["bands"] for p in parts])[ranked.order]
        del parts
        cand = lsh_pairs(ranked.searchable, bands[ranked.searchable])
    ordinals = sorted(
        int(ranked.order[r]) for r in (np.unique(cand) if len(cand) else ())
    )  # numpy.ma: 18 ms to import
    jobs: dict[int, list[int]] = {}
    for ordinal in ordinals:
        k = int(np.searchsorted(starts, ordinal, side="right")) - 1
        jobs.setdefault(k, []).append(ordinal - int(starts[k]))
    found = chunk_map(chunk_shingles, [(chunks[k], wanted) for k, wanted in jobs.items()], setup)
    sets: dict[int, Any] = {}
    for k, got in zip(jobs, found, strict=True):
        for index, shingles in got.items():
            sets[ranked.rank[int(starts[k]) + index]] = shingles
    return starts.tolist(), sources, resolve(ranked, cand, sets, sources, params)


@dataclass
class PageTally:
    """What the spooled page entries add up to: counts for stats.json, inputs for the manifest."""

    count: int = 0
    inputs: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    hits: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    sites: Counter[str] = field(default_factory=Counter)

    def add(self, entry: dict[str, Any]) -> None:
        """One spooled page entry (cleaner.engine.page_entry)."""
        self.count += 1
        if entry.get("site"):
            self.sites[entry["site"]] += 1
        self.inputs.append(entry["input"])
        self.hits.update(entry.get("hits") or {})
        self.categories.update(entry.get("categories") or {})
        if entry["reject"]:
            self.rejects.append(entry["reject"])

    def merge(self, later: PageTally) -> None:
        """Add the tally of the pages that follow these (a later chunk's)."""
        self.count += later.count
        self.inputs.extend(later.inputs)
        self.rejects.extend(later.rejects)
        self.hits.update(later.hits)
        self.categories.update(later.categories)
        self.sites.update(later.sites)


# ---------------------------------------------------------------- the output, chunk by chunk


@dataclass
class ChunkOutcome:
    """What applying the plan to one chunk gave: its records serialised, and its counts."""

    pages: PageTally
    sites: SiteTally  # over the records that go to the corpus
    repeated_lines: int
    kept: bytes  # JSONL lines for the corpus (`dumps`, one record a line)
    kept_count: int
    copies: bytes  # JSONL lines for duplicates.jsonl
    copies_count: int


def set_apply_state(frequent: set[tuple[str, int]], keep_duplicates: bool) -> None:
    _STATE.frequent, _STATE.keep_duplicates = frequent, keep_duplicates


def chunk_apply(job: tuple[Path, dict[str, dict[str, Any]], set[str]]) -> ChunkOutcome:
    """Each record of a spool chunk stripped of repeated lines, marked by dedup and serialised
    (on a worker: the parent only writes the bytes, in chunk order)."""
    chunk, marks, duplicates = job
    pages, sites, repeated = PageTally(), SiteTally(), 0
    kept: list[str] = []
    copies: list[str] = []
    for entry in read_spool_file(chunk):
        pages.add(entry)
        for record in entry["records"]:
            before = len(record.get("removed") or [])
            record = strip_repeated(record, _STATE.frequent)
            repeated += len(record.get("removed") or []) - before
            key = str(record["id"])
            record.update(marks.get(key, {}))
            text = dumps(record) + "\n"
            is_copy = key in duplicates
            if not is_copy or _STATE.keep_duplicates:
                kept.append(text)
                sites.add(record)
            if is_copy:
                copies.append(text)
    return ChunkOutcome(
        pages,
        sites,
        repeated,
        "".join(kept).encode("utf-8"),
        len(kept),
        "".join(copies).encode("utf-8"),
        len(copies),
    )
