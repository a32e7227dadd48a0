"""decode_bytes and normalize_text: encodings found in the right order, bad pages rejected."""

from __future__ import annotations

import codecs

import pytest

from cleaner.errors import PageRejected
from cleaner.inputs.decode import decode_bytes, normalize_text

RUSSIAN = (
    "Президент России заявил во вторник, что переговоры с европейскими партнёрами продолжатся "
    "в следующем месяце. Министерство иностранных дел подтвердило эту информацию и добавило, "
    "что встреча пройдёт в Москве, а её итоги будут опубликованы на официальном сайте."
)
JAPANESE = (
    "東京都は火曜日、新しい防災計画を発表した。計画では、大規模な地震が発生した場合の避難経路や"
    "物資の備蓄について詳しく定めている。知事は記者会見で、住民の安全を最優先に考えると述べた。"
)


def page(body: bytes, head: bytes = b"") -> bytes:
    return b"<html><head>" + head + b"<title>t</title></head><body><p>" + body + b"</p></body></html>"


# ---------------------------------------------------------------- BOMs


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    ],
)
def test_bom_wins_and_is_removed(bom: bytes, codec: str, name: str) -> None:
    text, enc = decode_bytes(bom + "Привет, мир\nline two".encode(codec), html=False)
    assert enc == name
    assert text == "Привет, мир\nline two"  # no U+FEFF left at the start


def test_bom_beats_a_wrong_declaration() -> None:
    data = codecs.BOM_UTF8 + page("Ünïcödé".encode(), b'<meta charset="windows-1251">')
    text, enc = decode_bytes(data, html=True)
    assert enc == "utf-8" and "Ünïcödé" in text


# ---------------------------------------------------------------- declarations


def test_declared_charset_meta() -> None:
    text, enc = decode_bytes(page(RUSSIAN.encode("cp1251"), b'<META CHARSET="Windows-1251">'), html=True)
    assert enc == "cp1251" and RUSSIAN in text


def test_declared_charset_http_equiv() -> None:
    head = b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    text, enc = decode_bytes(page(RUSSIAN.encode("koi8-r"), head), html=True)
    assert enc == "koi8-r" and RUSSIAN in text


def test_declared_shift_jis_uses_the_browser_superset() -> None:
    # NEC row-13 characters (①) exist in Windows-31J, which is what "Shift_JIS" means on the web
    body = ("丸数字①を含む記事。" + JAPANESE).encode("cp932")
    text, enc = decode_bytes(page(body, b'<meta charset="shift_jis">'), html=True)
    assert enc == "cp932" and "①" in text


def test_declaration_only_counts_for_html() -> None:
    data = b'<meta charset="koi8-r">\n' + "naïve café".encode()
    text, enc = decode_bytes(data, html=False)
    assert enc == "utf-8" and "naïve café" in text


def test_wrong_declared_charset_falls_back() -> None:
    # declared UTF-8, really windows-1251: strict UTF-8 fails, detection finds Cyrillic
    text, enc = decode_bytes(page(RUSSIAN.encode("cp1251"), b'<meta charset="utf-8">'), html=True)
    assert RUSSIAN in text
    assert enc != "utf-8"


def test_latin1_declaration_on_utf8_page_is_not_mojibake() -> None:
    body = "Le président a déclaré mardi que les négociations continueraient à Genève.".encode()
    text, enc = decode_bytes(page(body, b'<meta charset="iso-8859-1">'), html=True)
    assert enc == "utf-8"
    assert "président" in text and "Ã©" not in text


def test_latin1_declaration_is_read_as_windows_1252() -> None:
    body = "“Quoted” café".encode("cp1252")  # curly quotes only exist in windows-1252
    text, enc = decode_bytes(page(body, b'<meta charset="ISO-8859-1">'), html=True)
    assert enc == "cp1252" and "“Quoted” café" in text


def test_xml_declaration_counts_as_a_declaration() -> None:
    data = b'<?xml version="1.0" encoding="windows-1251"?>\n' + page(RUSSIAN.encode("cp1251"))
    text, enc = decode_bytes(data, html=True)
    assert enc == "cp1251" and RUSSIAN in text


def test_http_charset_beats_meta_and_a_wrong_one_falls_back() -> None:
    data = page(RUSSIAN.encode("koi8-r"), b'<meta charset="windows-1251">')
    text, enc = decode_bytes(data, html=True, http_charset="text/html; charset=KOI8-R")
    assert enc == "koi8-r" and RUSSIAN in text
    # declared UTF-8 by the server, windows-1251 by the page: the server is wrong, the page is right
    data = page(RUSSIAN.encode("cp1251"), b'<meta charset="windows-1251">')
    text, enc = decode_bytes(data, html=True, http_charset="utf-8")
    assert enc == "cp1251" and RUSSIAN in text


@pytest.mark.parametrize("label", [b"rot13", b"base64", b"unicode_escape", b"idna", b"no-such-charset"])
def test_declared_non_text_codec_is_ignored(label: bytes) -> None:
    text, enc = decode_bytes(page("Grüße aus Köln".encode(), b'<meta charset="' + label + b'">'), html=True)
    assert enc == "utf-8" and "Grüße aus Köln" in text


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize("html", [False, True])
def test_undeclared_windows_1251_round_trips(html: bool) -> None:
    raw = RUSSIAN.encode("cp1251")
    text, enc = decode_bytes(page(raw) if html else raw, html=html)
    assert RUSSIAN in text
    assert codecs.lookup(enc).name in ("cp1251", "mac-cyrillic")  # both map these letters alike


@pytest.mark.parametrize("html", [False, True])
def test_undeclared_shift_jis_round_trips(html: bool) -> None:
    raw = JAPANESE.encode("shift_jis")
    text, enc = decode_bytes(page(raw) if html else raw, html=html)
    assert JAPANESE in text
    assert enc in ("cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213")


def test_plain_utf8_without_declaration() -> None:
    text, enc = decode_bytes(f"{RUSSIAN}\n{JAPANESE}".encode(), html=False)
    assert enc == "utf-8" and text == f"{RUSSIAN}\n{JAPANESE}"


def test_bomless_utf16_is_not_binary() -> None:
    text, enc = decode_bytes(("Plain English text in UTF-16. " * 20).encode("utf-16-le"), html=False)
    assert enc == "utf-16-le" and text.startswith("Plain English text")


# ---------------------------------------------------------------- rejections


@pytest.mark.parametrize("data", [b"", b"   \n\t \r\n  ", b"\xef\xbb\xbf \n", "\u00a0\u200b\n".encode()])
def test_empty(data: bytes) -> None:
    with pytest.raises(PageRejected) as exc:
        decode_bytes(data, html=False)
    assert exc.value.reason == "empty"


def test_binary_png_like_data() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
    with pytest.raises(PageRejected) as exc:
        decode_bytes(data, html=True)
    assert exc.value.reason == "binary"


def test_binary_many_nuls_in_text() -> None:
    data = b"some text\x00\x00 and more\x00\x01\x02\x03\x00\x00\x00" * 50
    with pytest.raises(PageRejected) as exc:
        decode_bytes(data, html=False)
    assert exc.value.reason == "binary"


def test_stray_nuls_are_removed_not_rejected() -> None:
    data = ("A normal article paragraph with a few words in it.\n" * 30).encode()
    data = data[:100] + b"\x00" + data[100:500] + b"\x00\x00" + data[500:]
    text, enc = decode_bytes(data + b"\x00" * 64, html=False)  # and NUL padding at the end
    assert enc == "utf-8"
    assert "\x00" not in text
    assert text.count("\n") == 30  # no line lost or added


def test_undecodable() -> None:
    # high bytes in no pattern any encoding's statistics accept, no control bytes (not "binary")
    data = bytes((i * 7919 + 13) % 128 + 128 for i in range(3000))
    with pytest.raises(PageRejected) as exc:
        decode_bytes(data, html=False)
    assert exc.value.reason == "undecodable"


def test_utf8_with_a_few_windows_1252_bytes_stays_utf8() -> None:
    text_part = "Der Präsident der Bundesrepublik äußerte sich am Dienstag zur Lage. " * 5
    data = text_part.encode() + "He said “no” – twice.".encode("cp1252")
    text, enc = decode_bytes(data, html=False)
    assert enc == "utf-8"
    assert "Präsident" in text and "äußerte" in text
    assert "“no” – twice" in text  # the stray bytes read as windows-1252, not U+FFFD


def test_utf8_cut_mid_character() -> None:
    data = ("Москва. " * 50).encode()[:-1]
    text, enc = decode_bytes(data, html=False)
    assert enc == "utf-8" and text.startswith("Москва. Москва.")


# ---------------------------------------------------------------- normalize_text


def test_normalize_text_characters() -> None:
    raw = "a\u00a0b\u202fc\u2007d\u200be\u200c\u200d\u2060\ufefff\x00g\x07h\x7fi\x85j\u00adk\tl"
    assert normalize_text(raw) == "a b c def" + "ghijk\tl"


def test_normalize_text_nfc() -> None:
    assert normalize_text("Cafe\u0301") == "Café"
    assert len(normalize_text("Cafe\u0301")) == 4


def test_normalize_text_keeps_every_line() -> None:
    raw = "one\r\ntwo\rthree\n\nfive\x0b|\x0c|\u2028|\u2029|\x1c|\x85|\n"
    out = normalize_text(raw)
    assert out.split("\n") == ["one", "two", "three", "", "five|| | |||", ""]
    assert out.splitlines() == out.split("\n")[:-1]  # no other separator left for splitlines


def test_decode_returns_normalised_text() -> None:
    text, _ = decode_bytes("line\u00a0one\r\nline\u200btwo\r\n".encode(), html=False)
    assert text == "line one\nlinetwo\n"


def test_windows_1251_declaration_on_utf8_page_is_not_mojibake() -> None:
    text, enc = decode_bytes(page(RUSSIAN.encode(), b'<meta charset="windows-1251">'), html=True)
    assert enc == "utf-8" and RUSSIAN in text
