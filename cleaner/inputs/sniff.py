"""What an input file holds, told from its first bytes when its name does not say.

Crawls name pages `x`, `x.php`, `x.shtml`, `x.asp?id=3`: a name is a hint, the content
decides. The head of the file (decompressed when the name ends in .gz or .zst) is read:

- WARC: starts with `WARC/`;
- JSONL: the first non-blank line is a JSON object;
- HTML: a doctype, `<html`, `<head` or `<body` in the first 16 KiB;
- text: no NUL and almost no control bytes, no known binary signature, and not markup
  or JSON of another kind (an RSS feed, a sitemap, a JSON document);
- anything else (images, office files, archives, PDFs...) is None: the reader lists it in
  rejects as `unsupported-format`, never drops it silently.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from cleaner.cache import regex
from cleaner.inputs.streams import open_stream

HEAD_BYTES = 1 << 14  # pages put their <html> within a few hundred bytes; 16 KiB allows long comments
_HTML = regex(rb"<(?:!doctype\s+html|html|head|body)[\s>/]", re.IGNORECASE)
# signatures of files that are certainly not pages, even where their first bytes look printable
_BINARY = (
    b"%PDF-",
    b"PK\x03\x04",  # zip: .docx, .xlsx, .epub, .zip
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",  # JPEG
    b"RIFF",  # WebP, WAV, AVI
    b"\x00\x00\x01\x00",  # ICO
    b"\x1f\x8b",  # gzip under a name that does not say so
    b"\x28\xb5\x2f\xfd",  # zstd, likewise
    b"BZh",
    b"7z\xbc\xaf",
    b"\xd0\xcf\x11\xe0",  # old MS Office
    b"{\\rtf",
    b"%!PS",
    b"\x7fELF",
    b"wOFF",
    b"wOF2",
)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}


def sniff(path: Path) -> str | None:
    """html, text, jsonl or warc from the file's first bytes; None when it is none of them.

    Raises OSError when the file cannot be opened (the caller makes the reject).
    """
    with open_stream(path) as fh:
        head = fh.read(HEAD_BYTES)
    return sniff_bytes(head)


def sniff_bytes(head: bytes) -> str | None:
    """The kind of a file from its head (see the module's docstring)."""
    if head.startswith(b"WARC/"):
        return "warc"
    for bom, encoding in _BOMS:
        if head.startswith(bom):  # a UTF-16 page is full of NULs: look at it as text
            head = head[len(bom) :].decode(encoding, "ignore").encode("utf-8")
            break
    if head.startswith(_BINARY) or b"\x00" in head:
        return None
    stripped = head.lstrip()
    if stripped.startswith(b"{"):  # before HTML: a JSONL line holds a page's markup
        return "jsonl" if _json_object_line(stripped) else None
    if _HTML.search(head):
        return "html"
    if stripped.startswith((b"<", b"[")):  # XML (feeds, sitemaps), other markup, a JSON array
        return None
    control = sum(1 for byte in head if byte in _CONTROL)
    return "text" if control <= len(head) // 100 else None  # an empty file: text, rejected as empty


def _json_object_line(head: bytes) -> bool:
    """The first line parses as a JSON object (the last line of a cut head may not: skip it)."""
    line, newline, _ = head.partition(b"\n")
    if not newline and len(head) >= HEAD_BYTES:
        return True  # one line longer than the head: a JSONL page record (html is long)
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
