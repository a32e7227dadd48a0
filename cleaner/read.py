"""Inputs to pages: files and folders, in a stable order, each page with its bytes and hash."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cleaner.model import Page

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


@dataclass
class Unreadable:
    """An input that could not be read at all: it becomes a reject, the run goes on."""

    path: str
    reason: str
    detail: str


def page_format(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith((".jsonl", ".jsonl.gz", ".jsonl.zst")):
        return "jsonl"
    return None


def list_inputs(inputs: list[Path]) -> list[tuple[Path, str]]:
    """Every input file with the path to record (relative to the folder given), sorted, loops skipped."""
    found: list[tuple[Path, str]] = []
    for given in inputs:
        if given.is_dir():
            seen: set[tuple[int, int]] = set()
            for root, dirs, files in os.walk(given, followlinks=True):
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


def read_pages(inputs: list[Path]) -> Iterator[Page | Unreadable]:
    """Pages one at a time: memory stays flat however many inputs there are."""
    for path, rel in list_inputs(inputs):
        fmt = page_format(path) or "text"
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Unreadable(rel, "unreadable", exc.strerror or str(exc))
            continue
        if fmt == "jsonl":
            from cleaner.jsonl_input import jsonl_pages

            yield from jsonl_pages(path, rel, data)
            continue
        digest = sha256_hex(data)  # of the file as stored, so a user can find it again
        if path.name.lower().endswith(".gz"):
            import gzip
            import zlib

            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as exc:
                yield Unreadable(rel, "bad-gzip", str(exc))
                continue
        yield Page(path=rel, data=data, sha256=digest, format=fmt)
