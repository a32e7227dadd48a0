"""The local engine: pages cleaned by a pool of processes in chunks, spooled to disk, resumable.

Pages are cut into chunks of `chunk_pages` in input order. Each chunk is cleaned by a
worker and its results are written to `OUT/.work/chunk-NNNNNN.jsonl` atomically, in
input order, so the output never depends on the number of workers. A run killed at any
point (even `kill -9`) and started again with `--resume` skips the chunks already
spooled and ends with the same bytes as a run never killed. Beside each chunk a
`slim-NNNNNN.jsonl` holds its records' slim copies. The corpus-wide steps (per-site
repeated lines, dedup: cleaner.corpus.plan) come after every chunk is in, as passes over the
slim files mapped over the same number of workers (`chunk_map`); the final outputs last.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

import orjson

from cleaner.inputs import read
from cleaner.inputs.streams import Unreadable
from cleaner.model import Page
from cleaner.outputs.write import write_atomic
from cleaner.run.page import Cleaner, PageResult, Settings, clean_page

WORK = ".work"
CHUNK_PAGES = 64  # pages per work unit and per checkpoint: small enough to resume cheaply
IN_FLIGHT = 3  # chunks queued per worker
SPOOL_FORMAT = 2  # 2: slim files beside the chunks; a spool of another format is not resumed


@dataclass
class RunOptions:
    workers: int = 1
    chunk_pages: int = CHUNK_PAGES
    resume: bool = False
    progress: bool = False  # a progress line on stderr (the CLI turns it on for a terminal)
    engine: str = "local"  # or "dask"
    scheduler: str | None = None  # a Dask scheduler address; None starts a LocalCluster


@dataclass
class ChunkResult:
    """What a chunk of pages gives: one entry per page, in input order."""

    index: int
    pages: list[dict[str, Any]] = field(default_factory=list)


# ------------------------------------------------------------------ per-page work


def page_entry(item: Page | Unreadable, cleaner: Cleaner) -> dict[str, Any]:
    """One page's result as plain data: what the spool stores and the global steps read."""
    if isinstance(item, Unreadable):
        reject = {"path": item.path, "sha256": None, "reason": item.reason, "detail": item.detail}
        record = getattr(item, "record", None)
        if record is not None:
            reject["record"] = record
        return {
            "input": {"path": item.path, "sha256": None, "record": record},
            "records": [],
            "reject": reject,
        }
    result: PageResult = clean_page(item, cleaner)
    return {
        "input": {"path": item.path, "sha256": item.sha256, "record": item.record},
        "records": result.records,
        "reject": result.reject,
        "hits": dict(result.hits),
        "categories": dict(result.categories),
        "site": result.site,
    }


_WORKER_CLEANER: Cleaner | None = None


def _load_in_process(settings: Settings) -> None:
    """The single-process path: load the rules here, leaving Ctrl-C handling as it is."""
    global _WORKER_CLEANER
    _WORKER_CLEANER = Cleaner.load(settings)


def _init_worker(settings: Settings) -> None:
    """A worker uses the rules its parent compiled (forked) or loads them once (spawned);
    Ctrl-C is the parent's to handle."""
    global _WORKER_CLEANER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _WORKER_CLEANER is None or _WORKER_CLEANER.settings != settings:
        _WORKER_CLEANER = Cleaner.load(settings)


def set_cleaner(cleaner: Cleaner) -> None:
    """The single-process path uses the caller's loaded rules instead of loading them again."""
    global _WORKER_CLEANER
    _WORKER_CLEANER = cleaner


def _clean_chunk(job: tuple[int, list[Page | Unreadable], Path, bool]) -> tuple[int, int]:
    """Clean a chunk and spool it from the worker itself: the parent only counts.

    Measured: sending each chunk's results back to the parent to be written there made
    two workers no faster than one (the parent's pickling and JSON became the bottleneck).
    """
    index, items, work, durable = job
    assert _WORKER_CLEANER is not None
    spool_chunk(work, ChunkResult(index, [page_entry(item, _WORKER_CLEANER) for item in items]), durable)
    return index, len(items)


def chunked(items: Iterable[Page | Unreadable], size: int) -> Iterator[tuple[int, list[Page | Unreadable]]]:
    iterator = iter(items)
    index = 0
    while chunk := list(islice(iterator, size)):
        yield index, chunk
        index += 1


# ------------------------------------------------------------------ the spool


# The spool is internal and read three times: orjson reads and writes it 2-5x faster than json.


def chunk_path(work: Path, index: int) -> Path:
    return work / f"chunk-{index:06d}.jsonl"


def slim_path(work: Path, index: int) -> Path:
    return work / f"slim-{index:06d}.jsonl"


def spool_chunk(work: Path, chunk: ChunkResult, durable: bool = True) -> None:
    """The chunk's page entries, and beside them its records' slim copies: the corpus-wide
    passes read those (a quarter of the bytes). The chunk file goes last: it marks the
    chunk done for --resume, so a chunk never lacks its slims. `durable`: written to disk
    before they count (a spool a resume may read; see spool_pages)."""
    from cleaner.corpus.plan import spool_slim

    slims = (spool_slim(r) for entry in chunk.pages for r in entry["records"])
    write_atomic(slim_path(work, chunk.index), (orjson.dumps(s).decode() + "\n" for s in slims), durable)
    write_atomic(
        chunk_path(work, chunk.index),
        (orjson.dumps(entry).decode() + "\n" for entry in chunk.pages),
        durable,
    )


def fingerprint(
    found: list[tuple[Path, str]], settings: Settings, chunking: str, chunk_size: int, rules_digest: str = ""
) -> dict[str, Any]:
    """What a spool was made from: a --resume against another fingerprint stops (ResumeMismatch).

    It covers what decides a spooled page's records: the rules (the digest of their files, so
    a rule edited in place counts), the options that change a page's records, the version,
    the chunking (`chunking` names what a chunk is: "pages" here, "files" for the Dask
    engine's file groups, so neither resumes the other's spool), and every input file (`found`,
    from list_inputs) with its size and modification time (an added, deleted or rewritten
    input counts). The
    corpus-wide steps and the outputs are redone from the spool, so their options
    (--format, --shard-size, --keep-duplicates) may change between a run and its resume.
    """
    from cleaner.version import __version__

    files = []
    for path, rel in found:
        try:
            st = path.stat()
            files.append([rel, st.st_size, st.st_mtime_ns])
        except OSError:
            files.append([rel, None, None])  # unreadable now: a reject, and so it stays
    return {
        "spool": SPOOL_FORMAT,
        "version": __version__,
        "rules": rules_digest,
        "rules_dir": str(settings.rules_dir.resolve()),
        "max_page_bytes": settings.max_page_bytes,
        "chunking": chunking,
        "chunk_size": chunk_size,
        "inputs": files,
    }


def fingerprint_changes(before: Any, after: dict[str, Any]) -> list[str]:
    """What differs between a spool's fingerprint and this run's, in words, for the user."""
    if not isinstance(before, dict) or before.get("spool") != after["spool"]:
        return ["a spool format of another version of the cleaner"]
    changes = []
    if before.get("rules") != after["rules"] or before.get("rules_dir") != after["rules_dir"]:
        changes.append(f"rules (rule files changed: digest {before.get('rules')} then, {after['rules']} now)")
    for key in ("version", "max_page_bytes", "chunking", "chunk_size"):
        if before.get(key) != after[key]:
            changes.append(f"{key.replace('_', '-')} ({before.get(key)} then, {after[key]} now)")
    old = {rel: (size, mtime) for rel, size, mtime in before.get("inputs", [])}
    new = {rel: (size, mtime) for rel, size, mtime in after["inputs"]}
    for what, names in (
        ("added", sorted(new.keys() - old.keys())),
        ("deleted", sorted(old.keys() - new.keys())),
        ("changed", sorted(k for k in new.keys() & old.keys() if new[k] != old[k])),
    ):
        if names:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            changes.append(f"inputs ({len(names)} {what} since: {shown})")
    return changes


def prepare_work(out_dir: Path, fingerprint: dict[str, Any], resume: bool, stamp_now: bool = True) -> Path:
    """The spool folder: kept when resuming the same run, emptied when not resuming.

    --resume of a spool whose fingerprint differs raises ResumeMismatch, naming what changed;
    a folder with no fingerprint (a run killed before it wrote one, or a run of one chunk:
    see spool_pages) holds nothing to resume. `stamp_now`: write the fingerprint here
    (else the caller does, with write_stamp, once it knows the spool is worth resuming).
    """
    from cleaner.errors import ResumeMismatch

    work = out_dir / WORK
    stamp = work / "run.json"
    if resume and stamp.exists():
        try:
            before = json.loads(stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = None
        changes = fingerprint_changes(before, fingerprint)
        if changes:
            raise ResumeMismatch(str(out_dir), changes)
    elif work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    if stamp_now:
        write_stamp(work, fingerprint)
    return work


def write_stamp(work: Path, fingerprint: dict[str, Any]) -> None:
    """The spool's fingerprint, once: from now on --resume trusts the chunks spooled here."""
    stamp = work / "run.json"
    if not stamp.exists():
        write_atomic(stamp, [json.dumps(fingerprint, sort_keys=True)])


# ------------------------------------------------------------------ running


class Progress:
    """One line on stderr: how many done (pages, or chunks of a corpus pass), how fast, and
    the ETA when the total is known; redrawn at most five times a second, and once at the end."""

    def __init__(self, enabled: bool, total: int | None, unit: str = "pages", label: str = "") -> None:
        self.enabled, self.total, self.unit, self.label = enabled, total, unit, label
        self.start, self.done, self.last = time.monotonic(), 0, 0.0

    def add(self, done: int) -> None:
        self.done += done
        now = time.monotonic()
        if self.enabled and now - self.last >= 0.2:
            self.last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        rate = self.done / max(now - self.start, 1e-9)
        line = f"\r{self.label}{self.done} {self.unit}  {rate:,.0f} {self.unit}/s"
        if self.total:
            eta = (self.total - self.done) / rate if rate else 0
            line = f"\r{self.label}{self.done}/{self.total} {self.unit}  {rate:,.0f} {self.unit}/s  ETA {eta:,.0f} s"
        sys.stderr.write(line)
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            sys.stderr.write("\n")


def count_pages(found: list[tuple[Path, str]]) -> int | None:
    """The number of files, for the ETA; None when a container named as one (JSONL, WARC) hides
    the count (one sniffed as a container only makes the ETA wrong)."""
    from cleaner.inputs.read import page_format

    if any(page_format(path) in ("jsonl", "warc") for path, _ in found):
        return None
    return len(found)


def spool_pages(
    inputs: list[Path], out_dir: Path, settings: Settings, options: RunOptions, rules_digest: str = ""
) -> Path:
    """Stage 1: clean every page into the spool; already spooled chunks are skipped on resume."""
    found = read.list_inputs(inputs)  # once: the fingerprint and the reading see the same files
    stamp = fingerprint(found, settings, "pages", options.chunk_pages, rules_digest)
    work = prepare_work(out_dir, stamp, options.resume, stamp_now=False)
    progress = Progress(options.progress, count_pages(found) if options.progress else None)
    skipped: Counter[str] = Counter()
    jobs = chunked(read.read_listed(found, skipped=skipped), options.chunk_pages)
    durable = True

    def todo() -> Iterator[tuple[int, list[Page | Unreadable]]]:
        for index, items in jobs:
            if chunk_path(work, index).exists():
                progress.add(len(items))
                continue
            yield index, items

    try:
        waiting = todo()
        ahead = list(islice(waiting, 2))
        # A fresh run of one chunk leaves nothing worth resuming (a resume would redo a chunk
        # at most): no fingerprint, so --resume starts over, and no fsync of its scratch
        # files (9 ms of a one-page run's 0.5 s here). Any longer spool is made durable.
        durable = len(ahead) > 1 or (work / "run.json").exists()
        if durable:
            write_stamp(work, stamp)
        jobs_left = ((index, items, work, durable) for index, items in chain(ahead, waiting))
        in_process = options.workers <= 1 or len(ahead) < 2  # one chunk: a pool costs more than it saves
        if in_process and _WORKER_CLEANER is None:
            _load_in_process(settings)
        elif not in_process and _WORKER_CLEANER is not None and _WORKER_CLEANER.settings == settings:
            _WORKER_CLEANER.warm()  # compiled once here, shared by the forked workers
        gc.freeze()  # the compiled rules and language profiles live all run: the collector skips them
        if in_process:
            for job in jobs_left:
                progress.add(_clean_chunk(job)[1])
        else:
            feed = _InFlight(options.workers * IN_FLIGHT)
            pool = _process_context().Pool(options.workers, initializer=_init_worker, initargs=(settings,))
            try:
                # chunks are named by index: the order they finish in does not matter
                for _, done in pool.imap_unordered(_clean_chunk, feed(jobs_left)):
                    feed.taken()
                    progress.add(done)
                pool.close()
            except BaseException:  # Ctrl-C or a failure: stop the workers now, keep finished chunks
                feed.stop()
                pool.terminate()
                raise
            finally:
                pool.join()
    finally:
        gc.unfreeze()
        progress.finish()
    write_atomic(work / "skipped.json", [json.dumps(dict(sorted(skipped.items())))], durable)
    return work


def read_skipped(work: Path) -> dict[str, int]:
    """Records of containers that are not pages (WARC requests, metadata...), counted by kind."""
    path = work / "skipped.json"
    return dict(json.loads(path.read_text())) if path.exists() else {}


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def finish_work(work: Path) -> None:
    """After every output is in place the spool has served its purpose."""
    shutil.rmtree(work, ignore_errors=True)


def spool_chunk_paths(work: Path) -> list[Path]:
    """The spool's chunk files, in input order."""
    chunks, index = [], 0
    while (path := chunk_path(work, index)).exists():
        chunks.append(path)
        index += 1
    return chunks


def spool_slims(work: Path) -> list[Path]:
    """The slim files of the spool's chunks, in input order."""
    return [slim_path(work, index) for index in range(len(spool_chunk_paths(work)))]


def chunk_map(workers: int, progress: bool = False) -> Callable[..., Iterator[Any]]:
    """map(function, items, setup) for the corpus-wide passes (cleaner.corpus.plan.ChunkMap):
    results in input order, from a pool of forked workers when there are several.

    `setup`, a function and its arguments, runs once in each worker (or here) first.
    `progress`: a line on stderr per pass ("features: 12/29 chunks ...").
    """

    def run(function: Callable[[Any], Any], items: list[Any], setup: Any = None) -> Iterator[Any]:
        shown = Progress(progress, len(items), "chunks", f"{function.__name__.removeprefix('chunk_')}: ")
        try:
            for result in _mapped(function, items, setup):
                shown.add(1)
                yield result
        finally:
            shown.finish()

    def _mapped(function: Callable[[Any], Any], items: list[Any], setup: Any) -> Iterator[Any]:
        if workers <= 1 or len(items) <= 1:
            if setup:
                setup[0](*setup[1])
            yield from map(function, items)
            return
        feed = _InFlight(workers * IN_FLIGHT)
        pool = _process_context().Pool(
            min(workers, len(items)), initializer=_init_pass_worker, initargs=(setup,)
        )
        try:
            for result in pool.imap(function, feed(items)):
                feed.taken()
                yield result
        finally:  # every result is in, or Ctrl-C or an error: the workers stop now
            feed.stop()
            pool.terminate()
            pool.join()

    return run


class _InFlight:
    """A task feed for a pool that keeps at most `limit` tasks given out and not yet taken back.

    A pool reads its task iterator eagerly and keeps every result until it is asked for: with
    this, memory stays flat however large the corpus, and however slow the consumer (a
    compressed output is written slower than workers serialise it).
    """

    def __init__(self, limit: int) -> None:
        self._slots, self._stopped = threading.Semaphore(limit), threading.Event()

    def __call__(self, tasks: Iterable[Any]) -> Iterator[Any]:
        for task in tasks:
            while not self._slots.acquire(timeout=0.1):
                if self._stopped.is_set():
                    return
            yield task

    def taken(self) -> None:
        """A result was taken: one more task may go out."""
        self._slots.release()

    def stop(self) -> None:
        self._stopped.set()


def _process_context() -> Any:
    """Fork where there is fork: workers start at once and share the parent's compiled rules."""
    import multiprocessing  # here: a run in one process never imports it (14 ms)

    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def _init_pass_worker(setup: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if setup:
        setup[0](*setup[1])
