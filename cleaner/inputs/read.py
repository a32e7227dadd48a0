"""Inputs to pages: files and folders, in a stable order, each page with its bytes and hash.

Every file of a folder is considered. A page file (.txt, .html, .htm, optionally .gz) is one
page; a file of any other name is what its content says (`cleaner.inputs.sniff`): HTML, a
text dump, JSONL or WARC, or else a reject "unsupported-format" (an image, a .docx...). A container holds many:
JSONL (.jsonl, .jsonl.gz, .jsonl.zst; `cleaner.inputs.jsonl`) and WARC (.warc, .warc.gz;
`cleaner.inputs.warc`). Containers are streamed record by record, so memory stays flat
however large the files are. Anything that cannot be read becomes an `Unreadable` (a
reject); the run always goes on.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from cleaner.inputs.sniff import sniff
from cleaner.inputs.streams import CHUNK, MAX_RECORD_BYTES, Frames, Unreadable, open_regular, sha256_hex
from cleaner.model import Page

TEXT_SUFFIXES = (".txt", ".txt.gz")
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst")
WARC_SUFFIXES = (".warc", ".warc.gz")
# what `cleaner fixtures` writes beside each page it keeps (NAME.expected.json): read as an
# input folder, such a folder's pages are cleaned and these files are counted in stats.json
# under skipped, "fixture-expected-file"
FIXTURE_SUFFIX = ".expected.json"


def page_format(path: Path) -> str | None:
    """The input's kind by its name: text or html (one page), jsonl or warc (containers), None
    (the name does not say: `sniff` reads the content)."""
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
                for name in sorted(files):  # every file: what it is is read_file's to tell
                    path = Path(root) / name
                    found.append((path, str(Path(given.name) / path.relative_to(given))))
        else:
            found.append((given, given.name))
    return sorted(found, key=lambda item: item[1])


def read_pages(inputs: list[Path], skipped: Counter[str] | None = None) -> Iterator[Page | Unreadable]:
    """Pages one at a time: memory stays flat however many inputs there are.

    `skipped` (optional) counts what containers hold but are not pages (WARC request and
    metadata records, non-HTML responses, blank JSONL lines), by kind, for stats.
    """
    yield from read_listed(list_inputs(inputs), skipped)


def read_listed(
    found: list[tuple[Path, str]], skipped: Counter[str] | None = None
) -> Iterator[Page | Unreadable]:
    """The pages of files already listed by list_inputs (the engine lists once, for its
    fingerprint and for reading, so both see the same files)."""
    counter: Counter[str] = skipped if skipped is not None else Counter()
    for path, rel in found:
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
    if path.name.endswith(FIXTURE_SUFFIX):  # the cleaner's own file beside a page, not a page
        skipped["fixture-expected-file"] += 1
        return
    fmt = page_format(path)
    if fmt is None:
        try:
            fmt = sniff(path)
        except OSError as exc:
            yield Unreadable(rel, "unreadable", exc.strerror or str(exc))
            return
        if fmt is None:
            detail = "not HTML, a text dump, JSONL or WARC (told from the content, whatever the name)"
            yield Unreadable(rel, "unsupported-format", detail)
            return
    if fmt == "jsonl":
        from cleaner.inputs.jsonl import jsonl_pages

        yield from jsonl_pages(path, rel, skipped)
        return
    if fmt == "warc":
        from cleaner.inputs.warc import warc_pages

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
        frames = Frames(io.BytesIO(data), "gzip")
        out = bytearray()
        while len(out) <= MAX_RECORD_BYTES and (block := frames.read(CHUNK)):
            out += block  # bounded: a gzip bomb stops at the limit
        if frames.damage is not None:  # truncated-gzip or bad-gzip, as for a JSONL file
            state, detail = frames.damage
            return Unreadable(rel, f"{state.replace('corrupt', 'bad')}-gzip", detail)
        if len(out) > MAX_RECORD_BYTES:
            return Unreadable(rel, "too-large", f"over {MAX_RECORD_BYTES} bytes once decompressed")
        data = bytes(out)
    return Page(path=rel, data=data, sha256=digest, format=fmt)
