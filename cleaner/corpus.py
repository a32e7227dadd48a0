"""The corpus-wide steps, in passes over the spooled records so memory stays flat.

1. count: per-site paragraph counts (cleaner.repeated_lines) over every record;
2. decide: dedup (cleaner.dedup) on slim copies of the records (the fields dedup reads,
   with repeated lines already stripped), giving each copy its `duplicate_of` and each
   kept record its `copies`;
3. apply: every full record streamed again, repeated lines stripped, dedup marks added.

Full records (with every removed line) are never all in memory at once: only the slim
copies are, and only for as long as dedup needs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cleaner.dedup import dedup
from cleaner.repeated_lines import count_lines, frequent_lines, strip_repeated

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
    repeated_lines: int = 0


def plan(records: Callable[[], Iterable[dict[str, Any]]], keep_duplicates: bool = False) -> CorpusPlan:
    """Two passes over `records()` (a function, so each pass streams again from disk)."""
    frequent = frequent_lines(count_lines(records()))
    slims = [slim(strip_repeated(r, frequent)) for r in records()]
    result = dedup(slims, keep_duplicates=keep_duplicates)
    out = CorpusPlan(frequent=frequent, counts=dict(result.counts), keep_duplicates=keep_duplicates)
    for rec in [*result.kept, *result.duplicates]:
        added = {k: v for k, v in rec.items() if k not in SLIM_FIELDS and k != "source"}
        out.marks[str(rec["id"])] = added
    out.duplicates = {str(rec["id"]) for rec in result.duplicates}
    del slims, result
    return out


def apply(plan: CorpusPlan, records: Iterable[dict[str, Any]]) -> Iterator[tuple[bool, bool, dict[str, Any]]]:
    """Each record stripped and marked, with (goes to the corpus, goes to duplicates)."""
    for record in records:
        before = len(record.get("removed") or [])
        record = strip_repeated(record, plan.frequent)
        plan.repeated_lines += len(record.get("removed") or []) - before
        key = str(record["id"])
        record.update(plan.marks.get(key, {}))
        is_copy = key in plan.duplicates
        yield (not is_copy or plan.keep_duplicates), is_copy, record
