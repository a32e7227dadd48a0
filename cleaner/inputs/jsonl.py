"""JSONL inputs (.jsonl, .jsonl.gz, .jsonl.zst): one crawled page per line, streamed.

Each line is an object carrying `html` or `text`, plus optional `url`, `id` and
`fetched_at` (the shape crawlers write). A line becomes a Page:

- format "html" when `html` is a non-empty string (or when there is no `text`), else "text";
- data = the UTF-8 bytes of that field; sha256 = sha256 of those bytes, per record and not
  of the file, so the same page copied into two crawls (or into an HTML file) has the same
  hash and copies are recognisable;
- path = the file's path as recorded, record = the 1-based line number, input_id = `id`
  (a string, or an integer turned into one), url, fetched_at.

A malformed line (bad JSON or UTF-8, not an object, neither html nor text, a field of the
wrong type) is an Unreadable with reason "bad-jsonl-line" and its line number as `record`
(a line over MAX_RECORD_BYTES: "too-large", skipped without being held); the other lines
are still read. A cut .gz/.zst gives the
lines before the damage, then an Unreadable "truncated-gzip"/"truncated-zstd" whose
`record` is the first line lost; corrupt compressed data gives "bad-gzip"/"bad-zstd"
(deflate damage can decode to garbled lines before the member's CRC catches it: those come
out as bad lines, or pages, before the reject). Blank lines are skipped (counted as
"jsonl-blank-line").
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from cleaner.inputs.streams import MAX_RECORD_BYTES, Unreadable, open_stream, sha256_hex, stream_damage
from cleaner.model import Page

_OPTIONAL_STRINGS = ("url", "fetched_at")


def _compression(path: Path) -> str:
    name = path.name.lower()
    return "gzip" if name.endswith(".gz") else "zstd" if name.endswith(".zst") else "none"


def jsonl_pages(path: Path, rel: str, skipped: Counter[str] | None = None) -> Iterator[Page | Unreadable]:
    """Every line of a JSONL file as a Page (or a bad-line reject), streamed line by line."""
    kind = _compression(path)
    try:
        stream = open_stream(path)
    except OSError as exc:
        yield Unreadable(rel, "unreadable", exc.strerror or str(exc))
        return
    number = 0  # the last line read
    with stream:
        try:
            while line := stream.readline(MAX_RECORD_BYTES + 1):
                number += 1
                if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
                    _skip_rest_of_line(stream)
                    yield Unreadable(rel, "too-large", f"line longer than {MAX_RECORD_BYTES} bytes", number)
                    continue
                if not line.endswith(b"\n") and stream_damage(stream):
                    number -= 1  # the half line the damage cut off: reported below, not as a bad line
                    break
                if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]  # a UTF-8 BOM written by some tools
                if not line.strip():
                    if skipped is not None:
                        skipped["jsonl-blank-line"] += 1
                    continue
                yield parse_line(line, rel, number)
        except OSError as exc:  # a read error in the middle of the file
            yield Unreadable(rel, "unreadable", f"{exc}; lines from {number + 1} on lost", number + 1)
            return
        damage = stream_damage(stream)
        if damage is not None:
            state, detail = damage
            reason = f"{state.replace('corrupt', 'bad')}-{kind}"  # truncated-gzip, bad-zstd...
            yield Unreadable(rel, reason, f"{detail}; lines from {number + 1} on lost", number + 1)


def _skip_rest_of_line(stream: io.BufferedReader) -> None:
    """Read past the end of an over-long line without holding it in memory."""
    while (part := stream.readline(1 << 20)) and not part.endswith(b"\n"):
        pass


def parse_line(line: bytes, rel: str, number: int) -> Page | Unreadable:
    """One JSONL line to a Page, or an Unreadable saying exactly what is wrong with it."""

    def bad(detail: str) -> Unreadable:
        return Unreadable(rel, "bad-jsonl-line", detail, number)

    try:
        obj = orjson.loads(line)  # 1.5x faster on crawl lines; what it reads, json reads the same
    except orjson.JSONDecodeError:  # and what it refuses (a lone surrogate, 1e400, UTF-16), json judges
        try:
            obj = json.loads(line)
        except ValueError as exc:  # json.JSONDecodeError and UnicodeDecodeError
            return bad(f"not JSON: {exc}")
    return page_of_object(obj, rel, number)


def page_of_object(obj: Any, rel: str, number: int | None) -> Page | Unreadable:
    """A crawl record (a JSONL line's object, or a dict given to the Python API) to a Page."""

    def bad(detail: str) -> Unreadable:
        return Unreadable(rel, "bad-jsonl-line" if number is not None else "bad-record", detail, number)

    if not isinstance(obj, dict):
        return bad(f"a {type(obj).__name__}, not an object")
    html, text = obj.get("html"), obj.get("text")
    for name, value in (("html", html), ("text", text)):
        if value is not None and not isinstance(value, str):
            return bad(f"`{name}` is a {type(value).__name__}, not a string")
    if html is None and text is None:
        return bad("neither `html` nor `text`")
    for name in _OPTIONAL_STRINGS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            return bad(f"`{name}` is a {type(value).__name__}, not a string")
    ident: Any = obj.get("id")
    if isinstance(ident, bool) or (ident is not None and not isinstance(ident, str | int)):
        return bad(f"`id` is a {type(ident).__name__}, not a string or an integer")
    use_html = html is not None and (html != "" or text is None)
    body = html if use_html else text
    assert body is not None
    try:
        data = body.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate escaped in the JSON (\ud800)
        return bad(f"`{'html' if use_html else 'text'}` is not valid Unicode: {exc}")
    return Page(
        path=rel,
        data=data,
        sha256=sha256_hex(data),
        format="html" if use_html else "text",
        url=obj.get("url"),
        input_id=None if ident is None else str(ident),
        record=number,
        fetched_at=obj.get("fetched_at"),
    )
