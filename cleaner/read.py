"""Inputs to pages: files and folders, in a stable order, each page with its bytes and hash.

A page file (.txt, .html, .htm, optionally .gz) is one page. A container holds many:
JSONL (.jsonl, .jsonl.gz, .jsonl.zst; `cleaner.jsonl_input`) and WARC (.warc, .warc.gz;
`cleaner.warc_input`). Containers are streamed record by record, so memory stays flat
however large the files are. Anything that cannot be read becomes an `Unreadable` (a
reject); the run always goes on.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.model import Page

TEXT_SUFFIXES = (".txt", ".txt.gz")
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst")
WARC_SUFFIXES = (".warc", ".warc.gz")

_CHUNK = 1 << 16  # compressed bytes read at a time
_MAX_OUT = 1 << 20  # gzip output per step: a gzip bomb cannot fill memory in one call
# zstandard's decompressobj has no output limit (6 KB can hold 200 MB of one byte), so it is
# fed 1 KiB at a time: at most ~45 MB out per step even for a bomb, a few KB for real text
_ZSTD_FEED = 1 << 10
# one record of a container (a JSONL line, a WARC payload) is held whole: past this size it
# is rejected as "too-large" without being held. The cleaner rejects pages over 20 MB by
# default; a 20 MB page takes up to ~2x that once escaped into a JSON string.
MAX_RECORD_BYTES = 64 << 20


@dataclass
class Unreadable:
    """An input (or one record of a container) that could not be read: a reject, the run goes on.

    `record` is the JSONL line number or the WARC record ordinal when the damage is inside a
    container, None for a whole file.
    """

    path: str
    reason: str
    detail: str
    record: int | None = None


def page_format(path: Path) -> str | None:
    """The input's kind: text or html (one page), jsonl or warc (containers), None (not an input)."""
    name = path.name.lower()
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    return None


def list_inputs(inputs: list[Path]) -> list[tuple[Path, str]]:
    """Every input file with the path to record (relative to the folder given), sorted, loops skipped.

    A folder that cannot be listed (no permission) is listed itself, so that reading it gives
    a reject: os.walk skips it silently otherwise, and its pages would be lost without a word.
    """
    found: list[tuple[Path, str]] = []
    for given in inputs:
        if given.is_dir():
            seen: set[tuple[int, int]] = set()

            def unlisted(exc: OSError, given: Path = given) -> None:
                if exc.filename is not None:
                    folder = Path(os.fsdecode(exc.filename))
                    found.append((folder, str(Path(given.name) / folder.relative_to(given))))

            for root, dirs, files in os.walk(given, followlinks=True, onerror=unlisted):
                try:
                    st = os.stat(root)
                except OSError:
                    dirs[:] = []
                    continue
                if (st.st_dev, st.st_ino) in seen:  # a symlink loop: do not walk it twice
                    dirs[:] = []
                    continue
                seen.add((st.st_dev, st.st_ino))
                dirs.sort()
                for name in sorted(files):
                    path = Path(root) / name
                    if page_format(path):
                        found.append((path, str(Path(given.name) / path.relative_to(given))))
        else:
            found.append((given, given.name))
    return sorted(found, key=lambda item: item[1])


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_regular(path: Path) -> io.FileIO:
    """Open for reading, refusing anything but a regular file.

    A FIFO or a device in an input folder would block the run forever (or never end), so
    the file is opened non-blocking and checked with fstat on the open descriptor (no race
    between the check and the open). Raises OSError.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
            raise OSError(0, kind, str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


class _Frames(io.RawIOBase):
    """Concatenated gzip members or zstd frames, decompressed as one stream, told cut from whole.

    Python's gzip module notices a cut member but zstandard's stream reader ends silently;
    here both end the same way: the stream stops at the last byte that could be decoded and
    `damage` says why ("truncated": the file ends inside a member/frame; "corrupt": bad data).
    Damage ends the stream quietly instead of raising, because a reader buffering ahead
    (io.BufferedReader, warcio) would otherwise lose the good bytes decoded just before it.
    """

    def __init__(self, raw: io.RawIOBase | io.BufferedIOBase, kind: str) -> None:
        super().__init__()
        self._raw = raw
        self.kind = kind
        self.damage: tuple[str, str] | None = None
        self._obj: Any = None  # the decompressor of the member/frame in progress
        self._pending = b""  # compressed bytes not yet fed
        self._out = b""
        self._read = 0
        if kind == "zstd":
            import zstandard

            self._errors: tuple[type[Exception], ...] = (zstandard.ZstdError,)
            self._new: Callable[[], Any] = zstandard.ZstdDecompressor().decompressobj
        else:
            self._errors = (zlib.error,)
            self._new = lambda: zlib.decompressobj(wbits=31)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._out:
            if self.damage is not None or not self._step():
                return 0
        n = min(len(buffer), len(self._out))
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def _step(self) -> bool:
        """Decompress some more; False at the end of the stream (clean or damaged)."""
        data, self._pending = self._pending, b""
        if not data:
            data = self._raw.read(_CHUNK if self.kind == "gzip" else _ZSTD_FEED) or b""
            self._read += len(data)
            if not data:
                if self._obj is not None:
                    self.damage = ("truncated", f"{self.kind} data cut short at byte {self._read}")
                return False
        if self._obj is None:
            if self.kind == "gzip":
                data = data.lstrip(b"\0")  # gzip files may be padded with NULs between/after members
                if not data:
                    return True
            self._obj = self._new()
        obj = self._obj
        before = obj.copy() if self.kind == "gzip" else None  # to replay a call that fails (_salvage)
        try:
            if self.kind == "gzip":
                self._out = obj.decompress(data, _MAX_OUT)
                self._pending = obj.unused_data if obj.eof else obj.unconsumed_tail
            else:
                self._out = obj.decompress(data)
                self._pending = obj.unused_data if obj.eof else b""
        except self._errors as exc:
            self.damage = ("corrupt", f"bad {self.kind} data near byte {self._read}: {exc}")
            self._out = _salvage(before, data) if before is not None else b""
            return True
        if obj.eof:
            self._obj = None
        return True

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


def _salvage(obj: Any, data: bytes) -> bytes:
    """What a deflate stream decodes before the error in `data`, fed a byte at a time (once per
    damaged file): one call that fails returns nothing, though up to 64 KiB of good compressed
    data came before the damage. Bounded like a normal step."""
    out = bytearray()
    try:
        for i in range(len(data)):
            out += obj.decompress(data[i : i + 1], _MAX_OUT - len(out))
            if len(out) >= _MAX_OUT or obj.eof:
                break
    except zlib.error:
        pass
    return bytes(out)


def open_stream(path: Path) -> io.BufferedReader:
    """The file's bytes, decompressed by its extension (.gz, .zst), as a buffered binary stream.

    A damaged compressed file reads as a shorter one; `stream_damage` tells afterwards.
    """
    raw = open_regular(path)
    name = path.name.lower()
    if name.endswith((".gz", ".zst")):
        try:
            if name.endswith(".gz"):
                frames = _Frames(raw, "gzip")
            else:  # small reads for zstd: buffered, so they are not one system call each
                frames = _Frames(io.BufferedReader(raw, buffer_size=_CHUNK), "zstd")
        except BaseException:
            raw.close()
            raise
        return io.BufferedReader(frames, buffer_size=_CHUNK)
    return io.BufferedReader(raw, buffer_size=_CHUNK)


def stream_damage(stream: io.BufferedReader) -> tuple[str, str] | None:
    """("truncated" | "corrupt", detail) if a stream from open_stream ended on damaged data."""
    raw = getattr(stream, "raw", None)
    return raw.damage if isinstance(raw, _Frames) else None


def read_pages(inputs: list[Path], skipped: Counter[str] | None = None) -> Iterator[Page | Unreadable]:
    """Pages one at a time: memory stays flat however many inputs there are.

    `skipped` (optional) counts what containers hold but are not pages (WARC request and
    metadata records, non-HTML responses, blank JSONL lines), by kind, for stats.
    """
    counter: Counter[str] = skipped if skipped is not None else Counter()
    for path, rel in list_inputs(inputs):
        yield from read_file(path, rel, counter)


def read_file(path: Path, rel: str, skipped: Counter[str]) -> Iterator[Page | Unreadable]:
    """The pages of one input file, recorded under `rel` (the Dask engine reads files on workers)."""
    if path.is_dir():  # a folder list_inputs could not list
        try:
            os.scandir(path).close()
            problem = "it could be listed only later"
        except OSError as exc:
            problem = exc.strerror or str(exc)
        yield Unreadable(rel, "unreadable", f"folder cannot be listed: {problem}")
        return
    fmt = page_format(path) or "text"  # a file named explicitly is read as a text dump
    if fmt == "jsonl":
        from cleaner.jsonl_input import jsonl_pages

        yield from jsonl_pages(path, rel, skipped)
        return
    if fmt == "warc":
        from cleaner.warc_input import warc_pages

        yield from warc_pages(path, rel, skipped)
        return
    yield _single_page(path, rel, fmt)


def _single_page(path: Path, rel: str, fmt: str) -> Page | Unreadable:
    """One page file; sha256 is of the file as stored (compressed or not), so a user can find it."""
    try:
        with open_regular(path) as fh:
            if os.fstat(fh.fileno()).st_size > MAX_RECORD_BYTES:
                return Unreadable(rel, "too-large", f"file over {MAX_RECORD_BYTES} bytes")
            data = fh.readall()
    except OSError as exc:
        return Unreadable(rel, "unreadable", exc.strerror or str(exc))
    digest = sha256_hex(data)
    if path.name.lower().endswith(".gz"):
        frames = _Frames(io.BytesIO(data), "gzip")
        out = bytearray()
        while len(out) <= MAX_RECORD_BYTES and (block := frames.read(_CHUNK)):
            out += block  # bounded: a gzip bomb stops at the limit
        if frames.damage is not None:  # truncated-gzip or bad-gzip, as for a JSONL file
            state, detail = frames.damage
            return Unreadable(rel, f"{state.replace('corrupt', 'bad')}-gzip", detail)
        if len(out) > MAX_RECORD_BYTES:
            return Unreadable(rel, "too-large", f"over {MAX_RECORD_BYTES} bytes once decompressed")
        data = bytes(out)
    return Page(path=rel, data=data, sha256=digest, format=fmt)
