"""Bytes to normalised text: BOM, declared charset, strict UTF-8, then detection.

The order follows what is most often right on crawled news pages: a BOM never lies; a
declared charset is what the site meant (but a wrong declaration must not produce
mojibake); UTF-8 that decodes strictly is almost never anything else; only pages with
no usable clue go to charset-normalizer (windows-1251, Shift_JIS, GBK... pages served
without a declaration).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from cleaner.cache import regex
from cleaner.errors import PageRejected

__all__ = ["decode_bytes", "normalize_text"]

_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# "Binary" = more than this share of C0 control bytes other than \t \n \v \f \r and ESC
# (ISO-2022 uses ESC), counted with NUL and DEL over the whole page once trailing NUL
# padding is cut. Text pages have none or a handful (a stray NUL from a broken
# crawler): 1 % is far above that and far below compressed or image data, where about
# 27/256 ≈ 10 % of bytes fall in that range. Small pages need at least _BINARY_MIN_COUNT
# such bytes, so that "hello\0" is a text page with a stray NUL, not binary.
_BINARY_SHARE = 0.01
_BINARY_MIN_COUNT = 8
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)

_SNIFF_BYTES = 4096  # where a <meta charset> must appear (the HTML spec says 1024; sites are sloppy)
_META_CHARSET = regex(
    rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})"
    rb"|^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]{1,40})",  # XHTML's XML declaration
    re.I,
)

# WHATWG encoding-label mapping, as browsers decode, for the labels where Python's codec of
# the same name is narrower than what sites actually send
_WHATWG = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254",
    "latin5": "cp1254", "iso-8859-11": "cp874", "tis-620": "cp874", "x-user-defined": "cp1252",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "windows-31j": "cp932", "gb2312": "gb18030", "gbk": "gb18030",
    "x-gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "big5": "big5hkscs",
    "x-mac-cyrillic": "mac-cyrillic",
    # a meta tag readable as ASCII cannot be UTF-16: browsers take it as UTF-8
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8", "utf-8": "utf-8", "utf8": "utf-8",
}  # fmt: skip
# single-byte legacy codecs (Python names): a page declared as one of these that is valid
# UTF-8 with non-ASCII bytes is UTF-8 (a CMS moved to UTF-8, its template kept the old meta)
_SINGLE_BYTE_LEGACY = ("cp125", "iso8859-", "koi8-", "mac-", "cp874", "cp866", "cp437", "cp850", "latin")

_DETECT_MAX_BYTES = 200_000  # detection looks at a prefix: enough signal, bounded time


def decode_bytes(data: bytes, *, html: bool, http_charset: str | None = None) -> tuple[str, str]:
    """Decode a page to normalised text; return (text, Python codec name, or "utf-8+NAME" for a
    page whose lines mix UTF-8 and the NAME legacy encoding).

    http_charset is the charset of an HTTP Content-Type header (a WARC response record),
    which browsers rank between the BOM and the page's own <meta>; it is tried for text
    dumps too. Raises PageRejected("empty" | "binary" | "undecodable").
    """
    if not data:
        raise PageRejected("empty", "0 bytes")
    text, encoding, source = _decode(data, html, http_charset)
    text = _normalize(text, source)
    if not text.strip():
        raise PageRejected("empty", f"only white space after decoding as {encoding}")
    return text, encoding


def _decode(data: bytes, html: bool, http_charset: str | None) -> tuple[str, str, bytes | None]:
    """(text, codec name, the UTF-8 bytes the text is the strict decoding of, when it is one)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                body = data[len(bom) :]
                return body.decode(name), name, body if name == "utf-8" else None
            except UnicodeDecodeError:
                break  # a BOM followed by something else: treat as unmarked

    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        return (*utf16, None)

    body = data.rstrip(b"\x00")  # NUL padding at the end of a file is not content
    controls = len(body.translate(None, _NOT_CONTROL))  # what is left once non-controls are deleted
    if controls >= _BINARY_MIN_COUNT and controls > _BINARY_SHARE * len(body):
        raise PageRejected("binary", f"{controls} control bytes in {len(body)}")

    candidates = [_codec(http_charset) if http_charset else None, _declared_charset(body) if html else None]
    for declared in dict.fromkeys(c for c in candidates if c):
        try:
            text = body.decode(declared)
        except UnicodeDecodeError:
            continue  # a wrong declaration: the next one, then UTF-8, then detection
        # mojibake guard: a page declared latin-1/windows-125x that is valid UTF-8 with
        # non-ASCII bytes is UTF-8 (legacy text is practically never valid UTF-8)
        if not declared.startswith(_SINGLE_BYTE_LEGACY) or body.isascii() or not _is_utf8(body):
            return text, declared, body if declared == "utf-8" else None
        break
    try:
        return body.decode("utf-8"), "utf-8", body
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(body)
    if mostly is not None:
        return (*mostly, None)
    mixed = _mixed_lines(body)
    return (*(mixed if mixed is not None else _detect(body)), None)


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few bad bytes (a page cut mid-character, a windows-1252 byte pasted into
    a UTF-8 template) is UTF-8: detection would turn the whole page into mojibake.

    Legacy text forms few valid multi-byte sequences by chance: measured on news sentences,
    0-1 valid per 100 invalid for windows-1251/KOI8-R, at most 0.4 per invalid one for
    Shift_JIS, EUC-JP, GBK and EUC-KR; _UTF8_GOOD_PER_BAD keeps well clear of that."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad  # decoded non-ASCII characters
    if good < _UTF8_GOOD_PER_BAD * bad:
        return None
    # the stray bytes are nearly always windows-1252 punctuation (curly quotes, dashes)
    return data.decode("utf-8", errors=_CP1252_ERRORS), "utf-8"


_UTF8_GOOD_PER_BAD = 3
# a line is taken as UTF-8 evidence when it decodes and holds this many non-ASCII characters:
# legacy text forms a run of valid multi-byte sequences with no invalid one practically never
_MIXED_UTF8_MIN_CHARS = 3


def _mixed_lines(data: bytes) -> tuple[str, str] | None:
    """A page whose lines come in two encodings (a UTF-8 template around a legacy-encoded body,
    two pages pasted together): UTF-8 lines stay UTF-8, the others are decoded with the encoding
    detected on them alone. Whole-page detection finds no encoding for such a page (measured:
    UTF-8 and windows-1251 Russian paragraphs give "undecodable") or turns one half into mojibake.
    None when the page shows no strong UTF-8 line, or its other lines decode with nothing."""
    lines = data.split(b"\n")
    utf8 = [_utf8_line(line) for line in lines]
    if not any(
        u is not None and len(u) - len(u.encode("ascii", "ignore")) >= _MIXED_UTF8_MIN_CHARS for u in utf8
    ):
        return None
    legacy = b"\n".join(line for line, u in zip(lines, utf8, strict=True) if u is None)
    from charset_normalizer import from_bytes  # imported by the few pages that need detection

    best = from_bytes(legacy[:_DETECT_MAX_BYTES]).best()
    if best is None or not best.encoding:
        return None
    name = codecs.lookup(best.encoding).name
    try:
        text = "\n".join(
            u if u is not None else line.decode(name) for line, u in zip(lines, utf8, strict=True)
        )
    except UnicodeDecodeError:
        return None
    return text, f"utf-8+{name}"


def _utf8_line(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


_CP1252_ERRORS = "cleaner-cp1252"


def _cp1252_bytes(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    return err.object[err.start : err.end].decode("cp1252", errors="replace"), err.end


codecs.register_error(_CP1252_ERRORS, _cp1252_bytes)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: the NULs of its ASCII characters sit on one byte parity only.

    Binary data spreads its NULs over both parities, and a text page with stray NULs has
    too few of them, so neither is taken for UTF-16.
    """
    sample = data[:4096]
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for name, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= max(8, half // 10) and other * 20 <= zeros:
            try:
                return data[: len(data) - len(data) % 2].decode(name), name
            except UnicodeDecodeError:
                return None
    return None


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if not m:
        return None
    return _codec((m.group(1) or m.group(2)).decode("ascii"))


def _codec(label: str) -> str | None:
    """Python codec name for a charset label, as browsers read the label (WHATWG).

    A whole Content-Type value ("text/html; charset=utf-8") is accepted too.
    """
    label = label.lower()
    if "charset=" in label:
        label = label.split("charset=", 1)[1].split(";", 1)[0]
    label = label.strip().strip("\"'").strip()
    label = _WHATWG.get(label, label)
    try:
        name = codecs.lookup(label).name
        "".encode(name)  # LookupError for bytes-to-bytes and str-to-str codecs (base64, rot13)
    except (LookupError, UnicodeError):
        return None
    return None if name in _NOT_PAGE_CODECS else name


# Python text codecs no page is written in: a <meta charset="unicode_escape"> is a trick
_NOT_PAGE_CODECS = frozenset({"idna", "punycode", "raw-unicode-escape", "unicode-escape", "undefined"})


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # imported by the few pages that need detection

    best = from_bytes(data[:_DETECT_MAX_BYTES]).best()
    if best is None or not best.encoding:
        raise PageRejected("undecodable", "no encoding decodes the page")
    name = codecs.lookup(best.encoding).name
    try:
        return data.decode(name), name
    except UnicodeDecodeError:
        # the prefix decoded, the rest does not (a cut multi-byte tail, a stray byte): keep the
        # page, replacing only the bad bytes, rather than rejecting a mostly readable article
        text = data.decode(name, errors="replace")
        if text.count("\ufffd") > max(8, len(text) // 100):
            raise PageRejected("undecodable", f"{name} leaves too many bad bytes") from None
        return text, name


# normalize_text: one translate table built once; \r is handled before it (\r\n is one break)
_SPACES = "\u00a0\u202f\u2007\u2028\u2029"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_CONTROLS = [c for c in range(0x20) if c not in (0x09, 0x0A)] + [0x7F, *range(0x80, 0xA0)]
_MAP: dict[str, str] = {
    **{chr(c): "" for c in _CONTROLS},
    **{c: " " for c in _SPACES},
    **{c: "" for c in _ZERO_WIDTH},
}
# a regex finds the few characters to change: str.translate with a dict costs ~25 ns per
# character, 9 ms on a 350 KB page, while most pages have nothing or a handful to change
_ODD = regex("[" + re.escape("".join(_MAP)) + "]+")
_BY_REPLACE = _SPACES + _ZERO_WIDTH
# the bytes of a UTF-8 text that are control characters in it: C0 but tab and line break, DEL
# (no multi-byte sequence holds a byte under 0x80), and C1 as its two-byte sequences
_NOT_CONTROL_BYTE = bytes(b for b in range(256) if not (b < 0x20 and b not in (0x09, 0x0A) or b == 0x7F))
_NOT_CONTROL_OR_CR = _NOT_CONTROL_BYTE + b"\r"
_C1_UTF8 = regex(b"\xc2[\x80-\x9f]")


def _fix(m: re.Match[str]) -> str:
    return "".join(_MAP[c] for c in m.group())


def _replace_odd(text: str, source: bytes | None = None) -> str:
    """What `_ODD.sub(_fix, text)` gives, at C speed for pages with no control character.

    The regex scans about 25 ns a character (0.94 s over aeb's 181 HTML pages, nearly all
    of decoding). Each character maps on its own, so the spaces and zero-width characters
    (mostly no-break spaces) go by str.replace, and the regex runs only when a control
    character is left, found by a scan of the UTF-8 bytes. A printable text (most
    extracted blocks) has none of them: every character _MAP changes is non-printable.
    `source`: the UTF-8 bytes `text` was decoded from, but with its \r as they were (no carriage
    return is a control character here: normalize_text made them line breaks), scanned instead
    of encoding the text again (0.04 s over aeb's 181 pages).
    """
    if text.isprintable():
        return text
    for char in _BY_REPLACE:
        if char in text:
            text = text.replace(char, _MAP[char])
    data, keep = (
        (text.encode("utf-8", "surrogatepass"), _NOT_CONTROL_BYTE)
        if source is None
        else (source, _NOT_CONTROL_OR_CR)
    )
    if data.translate(None, keep) or (b"\xc2" in data and _C1_UTF8.search(data)):
        text = _ODD.sub(_fix, text)
    return text


def normalize_text(text: str) -> str:
    """NFC, one line break (\\n), plain spaces, no zero-width or control characters.

    Never adds or removes a line: a text dump's line numbers stay valid, and
    ``text.split("\\n")`` sees the same lines as ``text.splitlines()`` (U+2028/U+2029,
    \\v, \\f and the other separators splitlines knows are spaces or gone). The soft
    hyphen (U+00AD) is removed like the zero-width characters: it is invisible
    unless a word breaks, and left in it splits words for every later step.
    """
    return _normalize(text, None)


def _normalize(text: str, source: bytes | None) -> str:
    """normalize_text, given the UTF-8 bytes the text was strictly decoded from when there are."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _replace_odd(text, source)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text
