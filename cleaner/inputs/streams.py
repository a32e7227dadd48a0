"""Reading bytes safely: regular files only, gzip and zstd streams that tell cut from whole.

Shared by every reader of inputs (page files, JSONL, WARC) and by the corpus readers, so a
damaged or hostile file is handled the same way wherever it comes in.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHUNK = 1 << 16  # compressed bytes read at a time
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


class Frames(io.RawIOBase):
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
            data = self._raw.read(CHUNK if self.kind == "gzip" else _ZSTD_FEED) or b""
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
                frames = Frames(raw, "gzip")
            else:  # small reads for zstd: buffered, so they are not one system call each
                frames = Frames(io.BufferedReader(raw, buffer_size=CHUNK), "zstd")
        except BaseException:
            raw.close()
            raise
        return io.BufferedReader(frames, buffer_size=CHUNK)
    return io.BufferedReader(raw, buffer_size=CHUNK)


def stream_damage(stream: io.BufferedReader) -> tuple[str, str] | None:
    """("truncated" | "corrupt", detail) if a stream from open_stream ended on damaged data."""
    raw = getattr(stream, "raw", None)
    return raw.damage if isinstance(raw, Frames) else None
