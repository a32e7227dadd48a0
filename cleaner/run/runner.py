"""The run: every page through the page step (on the local or the Dask engine), then the
corpus-wide steps (repeated lines, dedup), then the outputs, each written atomically."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.run.page import Cleaner
from cleaner.version import __version__


@dataclass
class RunSummary:
    pages: int = 0
    documents: int = 0
    rejects: int = 0
    duplicates: int = 0
    repeated_lines: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    outputs: list[dict[str, Any]] = field(default_factory=list)  # files written, with records and sha256
    skipped: dict[str, int] = field(default_factory=dict)  # container records that are not pages
    unsupported: int = 0  # files that are no page format (rejects "unsupported-format")
    removed: list[str] = field(default_factory=list)  # earlier runs' outputs taken out of --out

    @property
    def found_pages(self) -> bool:
        """Some input was a page (cleaned or rejected for its content), not only files of other kinds."""
        return self.pages > self.unsupported


def run(inputs: list[Path], out_dir: Path, cleaner: Cleaner, options: Any = None) -> RunSummary:
    """The whole run: clean every page (cleaner.run.engine spools them, in parallel and resumable),
    then the corpus-wide steps, then the outputs, each written atomically."""
    import time

    from cleaner.corpus import plan as corpus_plan
    from cleaner.corpus.tally import SiteTally, stale_rules
    from cleaner.outputs.schema import arrow_schema
    from cleaner.outputs.write import ShardedWriter, publishing, remove_stale_outputs, write_json, write_jsonl
    from cleaner.run import engine

    options = options or engine.RunOptions()
    clock = time.monotonic()
    summary = RunSummary()
    if options.engine == "dask":
        from cleaner.run import dask_engine

        with dask_engine.dask_client(options.scheduler, options.workers) as client:
            work = dask_engine.spool_pages(
                client, inputs, out_dir, cleaner.settings, options, cleaner.rules.digest
            )
            summary.seconds["pages"] = round(time.monotonic() - clock, 3)
            clock = time.monotonic()
            decided = dask_engine.plan(client, work, cleaner.settings.keep_duplicates)
    else:
        engine.set_cleaner(cleaner)  # warmed only if the engine forks a pool
        summary.seconds["load"] = round(time.monotonic() - clock, 3)
        clock = time.monotonic()
        work = engine.spool_pages(inputs, out_dir, cleaner.settings, options, cleaner.rules.digest)
        summary.seconds["pages"] = round(time.monotonic() - clock, 3)
        clock = time.monotonic()
        decided = corpus_plan.plan(
            engine.spool_slims(work),
            engine.chunk_map(options.workers, options.progress),
            keep_duplicates=cleaner.settings.keep_duplicates,
        )
    summary.skipped = engine.read_skipped(work)
    summary.seconds["corpus"] = round(time.monotonic() - clock, 3)

    clock = time.monotonic()
    pages, tally = corpus_plan.PageTally(), SiteTally()
    fmt = "parquet" if cleaner.settings.output_format == "parquet" else "jsonl"
    ext = cleaner.settings.output_format
    columns = arrow_schema() if fmt == "parquet" else None  # native struct and list columns
    kept = ShardedWriter(out_dir, "corpus", fmt, cleaner.settings.shard_size, ext, columns)
    copies = ShardedWriter(out_dir, "duplicates", fmt, cleaner.settings.shard_size, ext, columns)
    jobs = decided.apply_jobs(engine.spool_chunk_paths(work))
    setup = (corpus_plan.set_apply_state, (decided.frequent, decided.keep_duplicates))
    with publishing():  # the outputs reach the disk together, the manifest renamed last
        with kept, copies:  # the workers strip, mark and serialise; here the bytes go out in order
            for done in engine.chunk_map(options.workers, options.progress)(
                corpus_plan.chunk_apply, jobs, setup
            ):
                pages.merge(done.pages)
                tally.merge(done.sites)
                summary.repeated_lines += done.repeated_lines
                kept.write_lines(done.kept, done.kept_count)
                copies.write_lines(done.copies, done.copies_count)
                summary.documents += done.kept_count
                summary.duplicates += done.copies_count
        summary.outputs = [*kept.files, *copies.files]
        summary.removed = remove_stale_outputs(out_dir, (str(f["path"]) for f in summary.outputs))
        write_jsonl(out_dir / "rejects.jsonl", pages.rejects)
        summary.pages, summary.rejects = pages.count, len(pages.rejects)
        summary.unsupported = sum(1 for r in pages.rejects if r["reason"] == "unsupported-format")
        pages.hits["corpus/repeated-line"] += summary.repeated_lines
        dup_stats = {**decided.counts, "repeated_lines": summary.repeated_lines}
        stats = _stats(summary, pages.hits, pages.categories, cleaner, dup_stats)
        stats["sites"] = dict(sorted(pages.sites.items()))
        stats["skipped"] = dict(sorted(summary.skipped.items()))
        stats["stale_rules"] = stale_rules(stats, cleaner.rules, pages.sites)
        stats["heuristic_heavy_sites"] = tally.heavy(rules=cleaner.rules)
        write_json(out_dir / "stats.json", stats)
        summary.seconds["write"] = round(time.monotonic() - clock, 3)
        write_json(out_dir / "manifest.json", _manifest(summary, pages.inputs, cleaner, options))
    engine.finish_work(work)
    return summary


def _stats(
    summary: RunSummary, hits: Counter[str], categories: Counter[str], cleaner: Cleaner, dup: dict[str, int]
) -> dict[str, Any]:
    rule_ids = [r.id for r in cleaner.rules.rules if r.matcher != "css"]
    return {
        "pages": summary.pages,
        "documents": summary.documents,
        "rejects": summary.rejects,
        "duplicates": summary.duplicates,
        "hits": dict(sorted(hits.items())),
        "rules_not_fired": sorted(r for r in rule_ids if not hits.get(r)),
        "removed_by_category": dict(sorted(categories.items())),
        "dedup": dict(sorted(dup.items())),
    }


def _manifest(
    summary: RunSummary, inputs: list[dict[str, Any]], cleaner: Cleaner, options: Any
) -> dict[str, Any]:
    """Configuration, versions, inputs and outputs with hashes, counts and timings."""
    import dataclasses
    from importlib import metadata

    def version(package: str) -> str | None:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    settings = {
        k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(cleaner.settings).items()
    }
    return {
        "cleaner": {
            "version": __version__,
            "rules": cleaner.rules.digest,
            "rules_dir": str(cleaner.rules.root),
        },
        "configuration": {**settings, **dataclasses.asdict(options)},
        "versions": {
            "python": sys.version.split()[0],  # what platform.python_version() reads, without its import
            **{p: version(p) for p in ("trafilatura", "selectolax", "langdetect", "google-re2", "numpy")},
        },
        "inputs": inputs,
        "outputs": summary.outputs,
        "removed": summary.removed,
        "seconds": summary.seconds,
        "counts": {
            "pages": summary.pages,
            "pages_with_articles": summary.pages - summary.rejects,
            "pages_rejected": summary.rejects,
            "documents": summary.documents,
            "rejects": summary.rejects,
            "duplicates": summary.duplicates,
            "skipped_records": sum(summary.skipped.values()),
        },
    }
