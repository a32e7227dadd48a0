"""WARC inputs (.warc, .warc.gz): each HTML response record is a page, streamed record by record.

Read with warcio, which undoes HTTP chunked transfer-encoding and gzip/deflate
content-encoding (and falls back to the bytes as stored when a crawler already undid them
but kept the header); brotli ("br") is undone here, warcio's hook for it being broken. FastWARC 2.0.1 was measured too (about 2x faster to read, which is
noise next to cleaning a page) but drops the record after a chunked+gzip response when it
decodes the payload, and panics on a stream it cannot seek: not safe for a corpus.

A page is a `response` record with a 2xx HTTP status and an HTML Content-Type
(text/html or application/xhtml+xml; WARC-Identified-Payload-Type when the HTTP header
has none). Page fields: url = WARC-Target-URI, fetched_at = WARC-Date (as written),
input_id = WARC-Record-ID, record = the record's 1-based ordinal among all records of the
file, data = the HTTP payload, sha256 = sha256 of that payload (so the same page saved as
an HTML file has the same hash), encoding = the HTTP charset (a hint for decode, which
sets the real encoding). Every other record (warcinfo, request, metadata, revisit,
resource, non-HTML or non-2xx responses) is skipped and counted. A payload over
MAX_RECORD_BYTES is an Unreadable "too-large" (read through, never held whole).

A .warc.gz is decompressed here rather than by warcio, which ends silently inside a cut
gzip member. A cut file yields the pages read before the damage, then an Unreadable
"truncated-warc" carrying the number of the first record lost; a file that is not WARC,
or corrupt data, gives "bad-warc".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader

from cleaner.inputs.streams import MAX_RECORD_BYTES, Unreadable, open_stream, sha256_hex, stream_damage
from cleaner.model import Page

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_READ = 1 << 16


class _Cut(Exception):
    """The file ends inside a record (its header, or before its Content-Length)."""


class _Bad(Exception):
    """Not a WARC file, or a record header that does not parse with data after it: damage, not a cut."""


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) of a Content-Type header value, lower-cased media type; None when absent."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip() or None
    return media.strip().lower() or None, charset


def _unbrotli(data: bytes) -> bytes:
    """Brotli content-encoding undone (bounded output); the bytes as stored if it is not brotli."""
    try:
        import brotli
    except ImportError:  # pragma: no cover - brotli is a dependency; without it decode rejects the page
        return data
    try:
        return bytes(brotli.Decompressor().process(data, output_buffer_limit=MAX_RECORD_BYTES + 1))
    except brotli.error:  # the crawler stored it decoded but kept the header
        return data


def _drain(record: Any) -> None:
    """Read what is left of the record; raise _Cut if the file ended before its Content-Length."""
    raw = record.raw_stream
    while raw.read(_READ):
        pass
    if getattr(raw, "limit", 0) > 0:
        raise _Cut(f"{raw.limit} bytes missing at the end of the record")


def warc_pages(path: Path, rel: str, skipped: Counter[str] | None = None) -> Iterator[Page | Unreadable]:
    """Every HTML response of a WARC file as a Page; a cut or corrupt file ends with an Unreadable."""
    counter: Counter[str] = skipped if skipped is not None else Counter()
    try:
        stream = open_stream(path)
    except OSError as exc:
        yield Unreadable(rel, "unreadable", exc.strerror or str(exc))
        return
    number = 0  # the ordinal of the last record started
    inside = False  # whether a cut, if any, is inside record `number` or after it
    with stream:
        try:
            head = stream.peek(64)[:64].lstrip()
            is_warc = head.startswith(b"WARC/") or (len(head) < 5 and b"WARC/".startswith(head))
            if not is_warc:  # warcio would take any line of five words for an ARC header
                raise _Bad(f"not a WARC file: starts with {head[:20]!r}")
            archive = ArchiveIterator(stream)
            records = iter(archive)
            while True:
                try:
                    record = next(records)
                except StopIteration:
                    break
                except OSError:
                    raise
                except Exception as exc:  # warcio's parser on a damaged header: any of a dozen types
                    at_end = not stream.read(1)
                    raise (_Cut if at_end else _Bad)(f"{type(exc).__name__}: {exc}") from exc
                number, inside = number + 1, True
                page = _page(record, rel, number, counter)
                inside = False
                if page is not None:
                    yield page
            if number == 0 and head:  # warcio found no record in a non-empty file
                raise _Cut(f"no complete WARC record: starts with {head[:20]!r}")
            rest = archive.next_line  # warcio ends quietly when the last header is cut: what it left
            if rest and rest.strip():
                raise _Cut(f"record header cut short: {rest[:60]!r}")
            damage = stream_damage(stream)
            if damage is not None:  # cut at a member boundary: every record read is whole
                raise (_Cut if damage[0] == "truncated" else _Bad)(damage[1])
        except (_Cut, _Bad) as exc:
            lost = number if inside else number + 1
            damage = stream_damage(stream)
            detail = f"record {lost}: {exc}" + (
                f" ({damage[1]})" if damage and damage[1] not in str(exc) else ""
            )
            bad = isinstance(exc, _Bad) or (damage is not None and damage[0] == "corrupt")
            yield Unreadable(rel, "bad-warc" if bad else "truncated-warc", detail, lost)
        except OSError as exc:
            yield Unreadable(rel, "unreadable", f"record {number + 1}: {exc}", number + 1)


def _page(record: Any, rel: str, number: int, counter: Counter[str]) -> Page | Unreadable | None:
    """The record as a Page, or None (counted) when it is not an HTML page; _Cut when cut short."""
    headers = record.rec_headers
    length = (headers.get_header("Content-Length") or "").strip()
    if not length.isdigit():  # warcio reads a missing or bad length as 0: the header was cut
        raise _Cut(f"no valid Content-Length ({length!r}): record header cut short")
    kind = record.rec_type or "unknown"
    http = record.http_headers
    reason = charset = None
    if kind != "response":
        reason = f"warc-{kind}"
    elif http is None or not http.protocol.upper().startswith("HTTP/"):
        reason = "warc-non-http"
    else:
        status = http.get_statuscode()
        media, charset = parse_content_type(http.get_header("Content-Type"))
        media = media or parse_content_type(headers.get_header("WARC-Identified-Payload-Type"))[0]
        if not status or not status.startswith("2"):
            reason = "warc-non-2xx"
        elif media not in HTML_TYPES:
            reason = "warc-non-html"
    if reason is not None:
        _drain(record)
        counter[reason] += 1
        return None
    brotli_encoded = (http.get_header("Content-Encoding") or "").strip().lower() == "br"
    if brotli_encoded:  # warcio 1.8.1's brotli hook breaks on brotli >= 1.1: undone here instead
        chunked = (http.get_header("Transfer-Encoding") or "").strip().lower() == "chunked"
        content = ChunkedDataReader(record.raw_stream) if chunked else record.raw_stream
    else:
        content = record.content_stream()
    data = content.read(MAX_RECORD_BYTES + 1)
    if brotli_encoded and len(data) <= MAX_RECORD_BYTES:
        data = _unbrotli(data)
    if len(data) > MAX_RECORD_BYTES:
        while content.read(_READ):
            pass
        _drain(record)
        return Unreadable(rel, "too-large", f"record {number}: payload over {MAX_RECORD_BYTES} bytes", number)
    _drain(record)
    return Page(
        path=rel,
        data=data,
        sha256=sha256_hex(data),
        format="html",
        url=headers.get_header("WARC-Target-URI"),
        input_id=headers.get_header("WARC-Record-ID"),
        record=number,
        fetched_at=headers.get_header("WARC-Date"),
        encoding=charset,
    )
