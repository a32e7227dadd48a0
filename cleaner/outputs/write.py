"""Output files, written atomically: a temporary name in the same folder, then a rename.

Every writer here writes to `.NAME.XXXXXXXX.tmp` beside the final file and renames it on
close only, so a crash, an exception or Ctrl-C never leaves a half-written file under the
final name (and the temporary one is removed). Bytes are deterministic, so the same run
gives the same files and their sha256 can go in a manifest:

- JSONL: one `dumps` line per record; `.jsonl.gz` is gzip level 6 with mtime 0 and no file
  name in the header; `.jsonl.zst` is zstd level 10, one frame, with a checksum, single-threaded.
- Parquet (see `ParquetSink`): zstd level 9, fixed row-group size, no timestamp anywhere
  (pyarrow writes none; `created_by` names the pyarrow version, so bytes are stable for one
  pyarrow version).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, BinaryIO, Self

import orjson

from cleaner.cache import regex

GZIP_LEVEL = 6
ZSTD_LEVEL = 10
PARQUET_ZSTD_LEVEL = 9
PARQUET_ROW_GROUP_ROWS = 10_000
PARQUET_ROW_GROUP_BYTES = 64 << 20  # of JSON text: bounds the memory a row group takes
JSONL_EXTS = ("jsonl", "jsonl.gz", "jsonl.zst")


def dumps(record: dict[str, Any]) -> str:
    """One JSON line; key order as built, non-ASCII kept, so output is byte-stable.

    orjson writes the same bytes as json.dumps(ensure_ascii=False, separators=(",", ":"))
    (checked on 1,273 records of the development runs; only exponent floats such as
    1e-07 are spelled differently) at a fifth of the time. A string json can write but
    orjson refuses (a lone surrogate from a JSONL input) falls back to json.
    """
    try:
        return orjson.dumps(record).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _temp_for(path: Path) -> tuple[Path, BinaryIO]:
    """A new temporary file beside `path`, mode 0666 less the umask (mkstemp would give 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        except FileExistsError:
            continue
        return tmp, os.fdopen(fd, "wb")


_BATCHES: list[list[tuple[Path, IO[bytes], Path]]] = []  # files waiting for publishing()'s end
_BATCH_FILES = 16  # published early when this many wait


def _publish(tmp: Path, fh: IO[bytes], path: Path, durable: bool = True) -> None:
    """fsync (when durable), close and rename into place; on any failure the temporary file is
    removed. Inside publishing(), a durable file waits for the batch's end instead."""
    try:
        fh.flush()
        if durable and _BATCHES:
            _BATCHES[-1].append((tmp, fh, path))
            if len(_BATCHES[-1]) >= _BATCH_FILES:  # many shards: not all their files open at once
                _publish_batch(_BATCHES[-1])
            return
        if durable:
            os.fsync(fh.fileno())
        fh.close()
        os.replace(tmp, path)
    except BaseException:
        fh.close()
        tmp.unlink(missing_ok=True)
        raise


def _publish_batch(batch: list[tuple[Path, IO[bytes], Path]]) -> None:
    """fsync every file of the batch, in parallel, then rename each into place, in order."""
    import threading

    failed: list[BaseException] = []

    def sync(fh: IO[bytes]) -> None:
        try:
            os.fsync(fh.fileno())
        except BaseException as exc:  # raised below, in the caller's thread
            failed.append(exc)

    threads = [threading.Thread(target=sync, args=(fh,)) for _, fh, _ in batch[1:]]
    for thread in threads:
        thread.start()
    if batch:
        sync(batch[0][1])
    for thread in threads:
        thread.join()
    if failed:
        raise failed[0]
    while batch:
        tmp, fh, path = batch[0]
        fh.close()
        os.replace(tmp, path)
        batch.pop(0)


@contextlib.contextmanager
def publishing() -> Iterator[None]:
    """The durable files written inside reach the disk together, then go under their final
    names in the order they were closed (a run's outputs, the manifest last).

    Each fsync waits for the disk (2-8 ms here); waited for in parallel threads, a run's five
    outputs cost about one. If the block fails, every file of the batch is dropped: none
    appears under its final name.
    """
    batch: list[tuple[Path, IO[bytes], Path]] = []
    _BATCHES.append(batch)
    try:
        yield
        _publish_batch(batch)
    finally:
        _BATCHES.remove(batch)
        for tmp, fh, _ in batch:
            fh.close()
            tmp.unlink(missing_ok=True)


def write_atomic(path: Path, chunks: Iterable[str | bytes], durable: bool = True) -> None:
    """Never leave a half-written file under its final name, even if the process is killed.

    Text is written as UTF-8; bytes (a page copied as it was stored) as they are.
    `durable`: the bytes reach the disk before the rename (fsync), so a power cut leaves
    the old file or the new one; without it (a scratch file nothing reads after a crash)
    a kill still cannot leave half a file, and 2-8 ms of waiting on the disk are saved.
    """
    tmp, fh = _temp_for(path)
    try:
        for chunk in chunks:
            fh.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
    except BaseException:
        fh.close()
        tmp.unlink(missing_ok=True)
        raise
    _publish(tmp, fh, path, durable)


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """All records to one JSONL file, compressed by its extension (.jsonl, .jsonl.gz, .jsonl.zst)."""
    with open_writer(path) as out:
        for record in records:
            out.write(record)


def write_json(path: Path, data: Any) -> None:
    write_atomic(path, [json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"])


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# ------------------------------------------------------------------ record writers


def split_lines(lines: bytes) -> list[bytes]:
    """JSONL bytes to one record each, newlines cut off (JSON escapes any newline in a value)."""
    return lines.split(b"\n")[:-1] if lines else []


class _JsonlSink:
    """JSONL lines into an open file, through gzip or zstd when the name says so."""

    def __init__(self, fh: BinaryIO, name: str) -> None:
        self._stream: Any
        self._outer: Any = None
        lower = name.lower()
        if lower.endswith(".gz"):
            # filename="" keeps the temporary name out of the header; mtime=0 keeps the clock out
            self._outer = gzip.GzipFile(filename="", mode="wb", compresslevel=GZIP_LEVEL, fileobj=fh, mtime=0)
            self._stream = self._outer
        elif lower.endswith(".zst"):
            import zstandard

            cctx = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True, threads=0)
            self._outer = cctx.stream_writer(fh, closefd=False)
            self._stream = self._outer
        else:
            self._stream = fh

    def write(self, record: dict[str, Any]) -> None:
        self.write_lines((dumps(record) + "\n").encode("utf-8"))

    def write_lines(self, lines: bytes) -> None:
        """Records already serialised by `dumps`, a newline after each (a worker made them)."""
        self._stream.write(lines)

    def finish(self) -> None:
        if self._outer is not None:
            self._outer.close()  # writes the gzip trailer / ends the zstd frame; the file stays open

    def discard(self) -> None:
        """Release the compressor before the file goes (its finaliser would write to a closed file)."""
        with contextlib.suppress(Exception):
            self.finish()


class ParquetSink:
    """Records into Parquet, reading back as the same dicts (`read_parquet_records`).

    With a schema (the corpus and duplicates: cleaner.outputs.schema), the columns are the
    schema's, with native struct and list types that pyarrow and `datasets` read as such.
    Without one (records of any shape), the layout is generic: chosen so any record round-trips exactly while the common fields stay plain
    columns a person can query: one column per top-level key, in first-seen order, typed
    from the first row group: `string` when every value is a string or null, `int64` when
    every value is an integer or null, otherwise a `string` holding the value as compact
    JSON (nested fields: dateline, source, removed, flags, cleaner, subheads...; listed in
    the file's metadata under `cleaner:json_columns`). Two control columns keep the round
    trip exact: `_missing` (JSON list of the columns absent from this record, so an absent
    key is not read back as null) and `_extra` (JSON object of keys the schema lacks or
    whose value does not fit its column's type). Both are null on ordinary rows.
    """

    MISSING, EXTRA = "_missing", "_extra"

    def __init__(self, fh: BinaryIO, schema: Any = None) -> None:
        """`schema` (a pyarrow schema): the records' own columns with native types (structs,
        lists), no control columns; a record must fit it (the corpus's records do: schema.py)."""
        self._fh = fh
        self._schema = schema
        self._rows: list[dict[str, Any]] = []
        self._size = 0
        self._writer: Any = None
        self._kinds: dict[str, str] = {}  # column -> "str" | "int" | "json"

    def write(self, record: dict[str, Any]) -> None:
        self._rows.append(record)
        self._size += sum(len(v) if isinstance(v, str) else 256 for v in record.values())
        if len(self._rows) >= PARQUET_ROW_GROUP_ROWS or self._size >= PARQUET_ROW_GROUP_BYTES:
            self._flush()

    def finish(self) -> None:
        if self._rows or self._writer is None:
            self._flush()
        self._writer.close()

    def discard(self) -> None:
        """Close pyarrow's writer now (into the doomed file), not in its finaliser after the file is gone."""
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()

    def _open(self, schema: Any) -> Any:
        return _parquet_writer(self._fh, schema)

    def _flush(self) -> None:
        import pyarrow as pa

        if self._schema is not None:
            if self._writer is None:
                self._writer = self._open(self._schema)
            self._writer.write_table(
                pa.Table.from_pylist(self._rows, schema=self._schema), row_group_size=PARQUET_ROW_GROUP_ROWS
            )
            self._rows, self._size = [], 0
            return
        if self._writer is None:
            self._kinds = _column_kinds(self._rows)
            fields = [
                pa.field(k, pa.int64() if kind == "int" else pa.string()) for k, kind in self._kinds.items()
            ]
            fields += [pa.field(self.MISSING, pa.string()), pa.field(self.EXTRA, pa.string())]
            json_columns = [k for k, kind in self._kinds.items() if kind == "json"]
            schema = pa.schema(fields, metadata={"cleaner:json_columns": json.dumps(json_columns)})
            self._writer = self._open(schema)
        columns: dict[str, list[Any]] = {k: [] for k in self._kinds}  # the generic layout (no schema)
        missing: list[str | None] = []
        extra: list[str | None] = []
        for record in self._rows:
            absent, spill = [], {}
            for key, kind in self._kinds.items():
                if key not in record:
                    absent.append(key)
                    columns[key].append(None)
                    continue
                value = record[key]
                if kind == "json":
                    columns[key].append(None if value is None else dumps_value(value))
                elif value is None or _fits(value, kind):
                    columns[key].append(value)
                else:
                    spill[key] = value
                    columns[key].append(None)
            spill.update({k: v for k, v in record.items() if k not in self._kinds})
            missing.append(json.dumps(absent) if absent else None)
            extra.append(dumps_value(spill) if spill else None)
        columns[self.MISSING], columns[self.EXTRA] = missing, extra
        self._writer.write_table(
            pa.table(columns, schema=self._writer.schema), row_group_size=PARQUET_ROW_GROUP_ROWS
        )
        self._rows, self._size = [], 0


def _parquet_writer(fh: BinaryIO, schema: Any) -> Any:
    import pyarrow.parquet as pq

    return pq.ParquetWriter(
        fh,
        schema,
        compression="zstd",
        compression_level=PARQUET_ZSTD_LEVEL,
        use_dictionary=False,  # long unique texts: dictionaries only cost
        write_statistics=False,  # min/max of article texts are useless and large
        version="2.6",
    )


def dumps_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _fits(value: Any, kind: str) -> bool:
    if kind == "str":
        return isinstance(value, str)
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


def _column_kinds(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Each top-level key's column kind, from the rows of the first row group."""
    kinds: dict[str, str] = {}
    for record in rows:
        for key, value in record.items():
            if key in (ParquetSink.MISSING, ParquetSink.EXTRA):
                continue  # a control column's name: the record's value goes to _extra
            current = kinds.get(key, "null")
            if value is not None:
                fits = "str" if _fits(value, "str") else "int" if _fits(value, "int") else "json"
                current = fits if current in ("null", fits) else "json"
            kinds[key] = current
    return {key: "str" if kind == "null" else kind for key, kind in kinds.items()}


def read_parquet_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a Parquet file written by ParquetSink, as the dicts that were written."""
    import pyarrow.parquet as pq

    source = pq.ParquetFile(path)
    meta = source.schema_arrow.metadata or {}
    json_columns = set(json.loads(meta.get(b"cleaner:json_columns", b"[]")))
    for batch in source.iter_batches():
        for row in batch.to_pylist():
            missing = set(json.loads(row.pop(ParquetSink.MISSING, None) or "[]"))  # none with a schema
            extra = json.loads(row.pop(ParquetSink.EXTRA, None) or "{}")
            record = {}
            for key, value in row.items():
                if key in missing or key in extra:
                    continue
                record[key] = json.loads(value) if key in json_columns and value is not None else value
            record.update(extra)
            yield record


class _Atomic:
    """As a context manager: close (publish under the final name) on success, abort on any exception."""

    def close(self) -> Any:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


class RecordWriter(_Atomic):
    """Records to one file, atomically: the final name appears on close() only, complete.

    Use as a context manager: leaving it by an exception (KeyboardInterrupt too) removes
    the temporary file and leaves nothing under the final name. After close(), `records`,
    `sha256` and `bytes` describe the file (`info()` as a dict for a manifest).
    """

    def __init__(self, path: Path, fmt: str = "jsonl", schema: Any = None) -> None:
        if fmt not in ("jsonl", "parquet"):
            raise ValueError(f"unknown output format {fmt!r} (jsonl or parquet)")
        self.path = path
        self.fmt = fmt
        self.records = 0
        self.sha256: str | None = None
        self.bytes: int | None = None
        self._tmp, self._fh = _temp_for(path)
        self._done = False
        try:
            self._sink: _JsonlSink | ParquetSink = (
                ParquetSink(self._fh, schema) if fmt == "parquet" else _JsonlSink(self._fh, path.name)
            )
        except BaseException:
            self.abort()
            raise

    def write(self, record: dict[str, Any]) -> None:
        if self._done:
            raise ValueError(f"{self.path}: write after close")
        self._sink.write(record)
        self.records += 1

    def write_lines(self, lines: bytes, count: int) -> None:
        """`count` records serialised by `dumps`, a newline after each: copied as they are
        into JSONL, read back for Parquet."""
        if self._done:
            raise ValueError(f"{self.path}: write after close")
        if isinstance(self._sink, _JsonlSink):
            self._sink.write_lines(lines)
        else:
            for line in split_lines(lines):
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError:  # dumps fell back to json (a lone surrogate): so does this
                    record = json.loads(line)
                self._sink.write(record)
        self.records += count

    def close(self) -> None:
        """Finish the file and rename it into place (once; later calls do nothing)."""
        if self._done:
            return
        try:
            self._sink.finish()
        except BaseException:
            self.abort()
            raise
        self._done = True
        try:
            self._fh.flush()
            self.sha256 = file_sha256(self._tmp)  # before the rename, which publishing() may defer
            self.bytes = self._tmp.stat().st_size
        except BaseException:
            self._fh.close()
            self._tmp.unlink(missing_ok=True)
            raise
        _publish(self._tmp, self._fh, self.path)

    def abort(self) -> None:
        """Drop everything written: no file under the final name, no temporary file left."""
        if self._done:
            return
        self._done = True
        try:
            if hasattr(self, "_sink"):
                self._sink.discard()
            self._fh.close()
        finally:
            self._tmp.unlink(missing_ok=True)

    def info(self, root: Path | None = None) -> dict[str, Any]:
        """path (relative to root when given), records, sha256, bytes: one manifest entry."""
        name = self.path.relative_to(root) if root is not None else self.path
        return {"path": str(name), "records": self.records, "sha256": self.sha256, "bytes": self.bytes}


def open_writer(path: Path, fmt: str = "jsonl") -> RecordWriter:
    """A RecordWriter: JSONL compressed by the name's extension (.jsonl/.jsonl.gz/.jsonl.zst) or Parquet."""
    return RecordWriter(path, fmt)


class ShardedWriter(_Atomic):
    """Records into `stem-00000.EXT`, `stem-00001.EXT`... of at most `shard_size` records each.

    With shard_size None, one file `stem.EXT`. Each shard is a RecordWriter (atomic); a run
    that writes no record still writes one empty shard, so the output always exists. After
    close(), `files` lists every shard written: path (relative to out_dir), records,
    sha256, bytes. Leaving the context by an exception drops the shard in progress; the
    shards already closed stay (they are complete).
    """

    def __init__(
        self,
        out_dir: Path,
        stem: str,
        fmt: str = "jsonl",
        shard_size: int | None = None,
        ext: str | None = None,
        schema: Any = None,
    ) -> None:
        ext = ext or ("parquet" if fmt == "parquet" else "jsonl")
        if (fmt == "parquet") != (ext == "parquet") or (fmt == "jsonl" and ext not in JSONL_EXTS):
            raise ValueError(f"extension {ext!r} does not match format {fmt!r}")
        if shard_size is not None and shard_size < 1:
            raise ValueError("shard_size must be at least 1")
        self.out_dir, self.stem, self.fmt, self.shard_size, self.ext = out_dir, stem, fmt, shard_size, ext
        self.schema = schema  # Parquet only: the records' pyarrow schema (native nested columns)
        self.files: list[dict[str, Any]] = []
        self._current: RecordWriter | None = None
        self._closed = False

    def _name(self, index: int) -> str:
        if self.shard_size is None:
            return f"{self.stem}.{self.ext}"
        return f"{self.stem}-{index:05d}.{self.ext}"

    def write(self, record: dict[str, Any]) -> None:
        self._shard().write(record)
        self._maybe_finish_shard()

    def write_lines(self, lines: bytes, count: int) -> None:
        """`count` records serialised by `dumps`, a newline after each (RecordWriter.write_lines),
        cut into shards where the records are counted."""
        if self.shard_size is None:
            self._shard().write_lines(lines, count)
            return
        for line in split_lines(lines):
            self._shard().write_lines(line + b"\n", 1)
            self._maybe_finish_shard()

    def _shard(self) -> RecordWriter:
        if self._current is None:
            self._current = RecordWriter(self.out_dir / self._name(len(self.files)), self.fmt, self.schema)
        return self._current

    def _maybe_finish_shard(self) -> None:
        assert self._current is not None
        if self.shard_size is not None and self._current.records >= self.shard_size:
            self._finish_shard()

    def _finish_shard(self) -> None:
        assert self._current is not None
        self._current.close()
        self.files.append(self._current.info(self.out_dir))
        self._current = None

    def close(self) -> list[dict[str, Any]]:
        if not self._closed:
            self._closed = True
            if self._current is None and not self.files:
                self._current = RecordWriter(self.out_dir / self._name(0), self.fmt, self.schema)
            if self._current is not None:
                self._finish_shard()
        return self.files

    def abort(self) -> None:
        self._closed = True
        if self._current is not None:
            self._current.abort()
            self._current = None

    @property
    def records(self) -> int:
        return sum(f["records"] for f in self.files) + (self._current.records if self._current else 0)


# what a run writes into --out, whatever its options: corpus and duplicates in any format,
# sharded or not, and the report made from it later
RUN_OUTPUT = regex(r"(?:corpus|duplicates)(?:-\d{5})?\.(?:jsonl|jsonl\.gz|jsonl\.zst|parquet)|report\.html")


def remove_stale_outputs(out_dir: Path, written: Iterable[str]) -> list[str]:
    """Remove the output files of earlier runs that this run did not write; their names, sorted.

    A reused --out must not hold a corpus.jsonl beside this run's corpus.parquet, the shards
    of a run that wrote more of them, or a report.html of another corpus: a reader would take
    them for this run's. Only names a run writes are touched, never a user's other files.
    """
    keep = set(written)
    stale = sorted(
        path.name
        for path in out_dir.iterdir()
        if RUN_OUTPUT.fullmatch(path.name) and path.name not in keep and path.is_file()
    )
    for name in stale:
        (out_dir / name).unlink(missing_ok=True)
    return stale
