"""The same pipeline on a Dask cluster: `cleaner clean --engine dask [--scheduler ADDRESS]`.

Per-page work is a bag of partitions (groups of input files, read and cleaned on the
workers); its results land in the same spool as the local engine's, so resuming and
the final outputs are shared code. The corpus-wide steps run as group-bys on the
cluster, over the spool read by the workers:

- per-site repeated lines: a fold by (site, story) keeps each story's first page, then
  paragraph hashes are counted per site;
- dedup: MinHash signatures are computed per partition; LSH buckets are a group-by on
  (band, band key) over the exact-group representatives, giving the candidate pairs;
  only the shingle sets of candidates and one small key per record (rank, exact key,
  id) reach the client, which runs cleaner.dedup.resolve, the step the local engine
  runs too. Same inputs, same decisions: the output is byte-identical to the local
  engine's (tests/test_dask.py).

With no scheduler address a LocalCluster of `--workers` processes is started (3-4 s).
On a real cluster the output folder must be on storage every worker can read (the
workers read the spool), and the inputs too.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.corpus import plan as corpus_plan
from cleaner.corpus.dedup import DedupParams, _prenormalise, _rank_key, rank_records, resolve
from cleaner.corpus.minhash import band_keys, features, prepare, star_pairs
from cleaner.corpus.repeated_lines import (
    PAGES,
    _paragraphs,
    _story_key,
    frequent_lines,
    paragraph_key,
    strip_repeated,
)
from cleaner.inputs.read import list_inputs, read_file
from cleaner.run import engine
from cleaner.run.page import Cleaner, Settings

FILES_PER_PARTITION = 16  # input files per task: big enough to amortise, small enough to balance


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client on the given scheduler, or on a LocalCluster started for this run."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


# ------------------------------------------------------------------ per-page work


def _clean_files(
    group: list[tuple[str, str]], settings: Settings
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """One partition: read its input files and clean every page, in input order."""
    cleaner = _cached_cleaner(settings)
    entries = []
    skipped: Counter[str] = Counter()
    for path, rel in group:
        for item in read_file(Path(path), rel, skipped):
            entries.append(engine.page_entry(item, cleaner))
    return entries, skipped


_CLEANERS: dict[str, Cleaner] = {}


def _cached_cleaner(settings: Settings) -> Cleaner:
    """Rules are loaded once per worker process, not once per task."""
    key = repr(settings)
    if key not in _CLEANERS:
        _CLEANERS[key] = Cleaner.load(settings)
    return _CLEANERS[key]


def spool_pages(
    client: Any, inputs: list[Path], out_dir: Path, settings: Settings, options: Any, rules_digest: str = ""
) -> Path:
    """Stage 1 on the cluster: each partition of input files becomes one spool chunk."""
    import dask.bag as db

    found = list_inputs(inputs)
    files = [(str(path), rel) for path, rel in found]
    groups = [files[i : i + FILES_PER_PARTITION] for i in range(0, len(files), FILES_PER_PARTITION)]
    stamp = engine.fingerprint(found, settings, "files", FILES_PER_PARTITION, rules_digest)
    work = engine.prepare_work(out_dir, stamp, options.resume)
    todo = [(i, g) for i, g in enumerate(groups) if not engine.chunk_path(work, i).exists()]
    if todo:
        bag = db.from_sequence([g for _, g in todo], npartitions=len(todo))
        futures = client.compute(bag.map(_clean_files, settings).to_delayed())
        for (index, _), future in zip(todo, futures, strict=True):
            # in order, as each finishes: a killed run keeps every chunk already written
            entries, seen = future.result()[0]
            skip_file = engine.chunk_path(work, index).with_suffix(".skipped.json")
            engine.write_atomic(skip_file, [json.dumps(dict(sorted(seen.items())))])
            engine.spool_chunk(work, engine.ChunkResult(index, entries))
    skipped: Counter[str] = Counter()
    for i in range(len(groups)):
        skipped.update(json.loads(engine.chunk_path(work, i).with_suffix(".skipped.json").read_text()))
    engine.write_atomic(work / "skipped.json", [json.dumps(dict(sorted(skipped.items())))])
    return work


# ------------------------------------------------------------------ corpus-wide steps


def _story_entry(item: tuple[int, dict[str, Any]]) -> tuple[tuple[str, bytes], tuple[int, list[int]]]:
    ordinal, record = item
    hashes = sorted({paragraph_key(p) for p in _paragraphs(record) if p.strip()})
    return (str(record["site"]), _story_key(record)), (ordinal, hashes)


def _first(a: tuple[int, list[int]], b: tuple[int, list[int]]) -> tuple[int, list[int]]:
    return a if a[0] <= b[0] else b


def _site_lines(item: tuple[tuple[str, bytes], tuple[int, list[int]]]) -> list[tuple[str, int]]:
    (site, _), (_, hashes) = item
    return [(site, PAGES)] + [(site, h) for h in hashes]


def _features_of(part: list[tuple[int, dict[str, Any]]], params: DedupParams) -> list[dict[str, Any]]:
    """Per record: its rank key, exact key, whether it has a signature, and its LSH band keys."""
    if not part:
        return []
    records = [r for _, r in part]
    keys, lengths, sig, has_sig = prepare(records, params)
    bands = band_keys(sig, params.bands, params.rows)
    return [
        {
            "ordinal": ordinal,
            "rank_key": _rank_key(record, int(lengths[k])),
            "key": keys[k],
            "length": int(lengths[k]),
            "has_sig": bool(has_sig[k]),
            "bands": bands[k].tolist(),
            "id": record.get("id"),
            "source": record.get("source"),
        }
        for k, (ordinal, record) in enumerate(part)
    ]


def _shingles_of(item: tuple[int, dict[str, Any]], params: DedupParams) -> tuple[int, np.ndarray]:
    ordinal, record = item
    _, _, sh, offsets = features([_prenormalise(record.get("text") or "")], params.shingle)
    return ordinal, np.unique(sh[offsets[0] : offsets[1]])


def plan(
    client: Any, work: Path, keep_duplicates: bool, params: DedupParams | None = None
) -> corpus_plan.CorpusPlan:
    """What cleaner.corpus.plan decides, computed with group-bys on the cluster."""
    import dask.bag as db

    params = params or DedupParams()
    chunks = engine.spool_slims(work)  # each chunk's records as the corpus passes read them
    per_chunk = db.from_sequence(chunks, npartitions=max(1, len(chunks))).map(corpus_plan.read_spool_file)
    sizes = per_chunk.map(len).compute()
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int).tolist()
    numbered = (
        db.from_sequence(
            [(path, offsets[i]) for i, path in enumerate(chunks)], npartitions=max(1, len(chunks))
        )
        .map(lambda pair: [(pair[1] + k, r) for k, r in enumerate(corpus_plan.read_spool_file(pair[0]))])
        .flatten()
    )

    # per-site repeated lines: each story's first page, then paragraph hashes counted per site
    stories = numbered.filter(lambda item: bool(item[1].get("site")) and bool(_paragraphs(item[1])))
    first_pages = stories.map(_story_entry).foldby(
        lambda kv: kv[0], lambda acc, kv: _first(acc, kv[1]), (10**18, []), lambda a, b: _first(a, b)
    )
    counts = Counter(dict(first_pages.map(_site_lines).flatten().frequencies().compute()))
    frequent = frequent_lines(counts)

    # dedup: features per partition, ranks on the client (one small key a record)
    slims = numbered.map(lambda item: (item[0], corpus_plan.slim(strip_repeated(item[1], frequent))))
    slims = slims.persist()
    feats = slims.map_partitions(_features_of, params).persist()
    small = sorted(
        feats.map(
            lambda f: (f["ordinal"], f["rank_key"], f["key"], f["length"], f["has_sig"], f["id"], f["source"])
        ).compute()
    )
    n = len(small)
    ranked = rank_records(
        [s[1] for s in small],
        [s[2] for s in small],
        np.asarray([s[3] for s in small]),
        np.asarray([s[4] for s in small]),
    )
    sources = [{"id": s[5], "source": s[6]} for s in small]

    # LSH buckets as a group-by over the representatives' band keys
    rank_of = ranked.rank
    searchable = set(ranked.searchable)

    def band_entries(
        f: dict[str, Any], rank: list[int], allowed: set[int]
    ) -> list[tuple[tuple[int, int], int]]:
        r = int(rank[f["ordinal"]])
        return [((t, key), r) for t, key in enumerate(f["bands"])] if r in allowed else []

    buckets = (
        feats.map(band_entries, rank_of, searchable)
        .flatten()
        .foldby(lambda kv: kv[0], lambda acc, kv: acc + [kv[1]], [], lambda a, b: a + b)
        .filter(lambda kv: len(kv[1]) > 1)
        .map(lambda kv: sorted(kv[1]))
        .compute()
    )
    cand = star_pairs(buckets) if n else np.zeros((0, 2), dtype=np.int64)

    # shingle sets of the candidates only, keyed by rank
    wanted = set(np.unique(cand).tolist())
    ordinals = {int(ranked.order[r]) for r in wanted}
    shingles = dict(slims.filter(lambda item: item[0] in ordinals).map(_shingles_of, params).compute())
    sets = {int(ranked.rank[o]): s for o, s in shingles.items()}

    marks, copy_indices, counts_dedup = resolve(ranked, cand, sets, sources, params)
    out = corpus_plan.CorpusPlan(frequent=frequent, counts=counts_dedup, keep_duplicates=keep_duplicates)
    out.marks = {str(sources[i]["id"]): marks[i] for i in range(n)}
    out.duplicates = {str(sources[i]["id"]) for i in copy_indices}
    out.chunk_ids = [[str(s["id"]) for s in sources[offsets[k] : offsets[k + 1]]] for k in range(len(chunks))]
    return out
