"""Readers: page files, JSONL and WARC containers, streamed; damage is reported, never fatal."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.inputs.read import list_inputs, page_format, read_pages
from cleaner.inputs.streams import Unreadable
from cleaner.model import Page

from .conftest import need_shared, read_jsonl


def pages_and_rejects(items: list[Page | Unreadable]) -> tuple[list[Page], list[Unreadable]]:
    return [i for i in items if isinstance(i, Page)], [i for i in items if isinstance(i, Unreadable)]


def html(title: str, body: str = "Body text of the article.") -> bytes:
    return f"<html><head><title>{title}</title></head><body><p>{body}</p></body></html>".encode()


# ---------------------------------------------------------------- WARC builders


def _response(
    writer: WARCWriter,
    url: str,
    payload: bytes,
    headers: list[tuple[str, str]] | None = None,
    status: str = "200 OK",
    date: str | None = None,
) -> None:
    http = StatusAndHeaders(status, headers or [("Content-Type", "text/html")], protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": date} if date else None
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(payload), http_headers=http, warc_headers_dict=warc_headers
    )
    writer.write_record(record)


def write_warc(pages: list[tuple[str, bytes]], path: Path) -> None:
    """A WARC of one HTML response record per (url, html) page; gzip per record for .gz."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for url, body in pages:
            _response(writer, url, body, [("Content-Type", "text/html; charset=utf-8")])


def chunked(data: bytes, size: int = 700) -> bytes:
    parts = [
        b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


LATIN1_PAGE = "<html><body><p>Café crème à la française, déjà vu.</p></body></html>".encode("latin-1")


def mixed_warc(path: Path) -> None:
    """What a crawler writes: warcinfo, request/response pairs, metadata, non-HTML and error pages."""
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test-crawler"}))  # 1
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "a.example")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://a.example/", "request", http_headers=request))  # 2
        _response(  # 3: chunked + gzip content-encoding, charset in the header
            w,
            "https://a.example/",
            chunked(gzip.compress(LATIN1_PAGE, mtime=0)),
            [
                ("Content-Type", 'text/html; charset="ISO-8859-1"'),
                ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked"),
            ],
            date="2024-03-01T10:00:00Z",
        )
        _response(
            w, "https://a.example/logo.png", b"\x89PNG\r\n\x1a\n" * 10, [("Content-Type", "image/png")]
        )  # 4
        _response(w, "https://a.example/gone", html("Not found"), status="404 Not Found")  # 5
        meta = w.create_warc_record(
            "https://a.example/",
            "metadata",
            payload=io.BytesIO(b"outlinks: x\n"),
            warc_content_type="text/plain",
        )
        w.write_record(meta)  # 6
        _response(  # 7
            w,
            "https://b.example/x",
            html("Second"),
            [("Content-Type", "application/xhtml+xml")],
            date="2024-03-02T11:30:00Z",
        )


# ---------------------------------------------------------------- page files


def test_single_page_files_plain_and_gzip(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"plain text page")
    stored = gzip.compress(b"gzipped text page", mtime=0)
    (folder / "b.txt.gz").write_bytes(stored)
    (folder / "c.html.gz").write_bytes(gzip.compress(html("C"), mtime=0))
    (folder / "d.htm").write_bytes(html("D"))
    (folder / "e.html.gz").write_bytes(b"not gzip at all")
    (folder / "notes.md").write_bytes(b"considered: text by its content")
    pages, rejects = pages_and_rejects(list(read_pages([folder])))
    assert [(p.path, p.format) for p in pages] == [
        ("in/a.txt", "text"),
        ("in/b.txt.gz", "text"),
        ("in/c.html.gz", "html"),
        ("in/d.htm", "html"),
        ("in/notes.md", "text"),
    ]
    assert pages[1].data == b"gzipped text page"
    assert pages[1].sha256 == hashlib.sha256(stored).hexdigest()  # of the file as stored
    assert pages[1].record is None and pages[1].url is None
    assert [(r.path, r.reason, r.record) for r in rejects] == [("in/e.html.gz", "bad-gzip", None)]


def test_page_format_knows_every_input_kind():
    kinds = {
        name: page_format(Path(name)) for name in ("a.TXT", "a.jsonl.zst", "a.warc.gz", "a.warc", "a.pdf")
    }
    assert kinds == {
        "a.TXT": "text",
        "a.jsonl.zst": "jsonl",
        "a.warc.gz": "warc",
        "a.warc": "warc",
        "a.pdf": None,
    }


def test_symlink_loop_in_an_input_folder_is_walked_once(tmp_path):
    root = tmp_path / "pages"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("a")
    (root / "sub" / "b.txt").write_text("b")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    assert [rel for _, rel in list_inputs([root])] == ["pages/a.txt", "pages/sub/b.txt"]


def test_fifo_and_dangling_link_are_rejected_without_blocking(tmp_path):
    """A FIFO would block a plain open() forever; it is refused as not a regular file."""
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "gone.html").symlink_to(folder / "nowhere.html")
    (folder / "ok.txt").write_text("fine")
    pages, rejects = pages_and_rejects(list(read_pages([folder])))
    assert [p.path for p in pages] == ["in/ok.txt"]
    assert {(r.path, r.reason) for r in rejects} == {
        ("in/pipe.txt", "unreadable"),
        ("in/gone.html", "unreadable"),
    }
    assert {r.path: r.detail for r in rejects}["in/pipe.txt"] == "not a regular file"


def test_file_without_read_permission_is_rejected(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root reading (the FIFO test covers refusal)")
    page = tmp_path / "secret.txt"
    page.write_text("x")
    page.chmod(0)
    try:
        (reject,) = read_pages([page])
    finally:
        page.chmod(0o644)
    assert isinstance(reject, Unreadable) and reject.reason == "unreadable"


def test_file_that_disappears_after_listing_is_rejected_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(name)
    items = read_pages([folder])
    first = next(items)  # the folder is listed now
    (folder / "b.txt").unlink()
    rest = list(items)
    assert isinstance(first, Page) and first.path == "in/a.txt"
    assert isinstance(rest[0], Unreadable) and (rest[0].path, rest[0].reason) == ("in/b.txt", "unreadable")
    assert "No such file" in rest[0].detail
    assert isinstance(rest[1], Page) and rest[1].path == "in/c.txt"


# ---------------------------------------------------------------- JSONL

JSONL_LINES = [
    json.dumps(
        {"id": "p1", "url": "https://x.example/1", "html": "<p>Un été</p>", "fetched_at": "2024-01-02"}
    ),
    "{not json",
    json.dumps(["a", "list"]),
    json.dumps({"url": "https://x.example/none"}),
    json.dumps({"html": 42}),
    json.dumps({"text": "t", "url": 7}),
    "",
    json.dumps({"id": 7, "text": "A text dump.\nSecond line."}),
    json.dumps({"html": "", "text": "text when html is empty"}),
]


def write_lines(path: Path, lines: list[str]) -> Path:
    data = ("\n".join(lines) + "\n").encode()
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    elif path.name.endswith(".zst"):
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    return path


def test_jsonl_bad_lines_are_rejected_with_their_line_numbers_good_lines_read(tmp_path):
    path = write_lines(tmp_path / "crawl.jsonl", JSONL_LINES)
    skipped: Counter[str] = Counter()
    pages, rejects = pages_and_rejects(list(read_pages([path], skipped)))
    assert [(p.record, p.format, p.input_id, p.url) for p in pages] == [
        (1, "html", "p1", "https://x.example/1"),
        (8, "text", "7", None),
        (9, "text", None, None),
    ]
    first = pages[0]
    assert first.path == "crawl.jsonl" and first.fetched_at == "2024-01-02"
    assert first.data == "<p>Un été</p>".encode()
    assert first.sha256 == hashlib.sha256(first.data).hexdigest()  # per record, not of the file
    assert [(r.path, r.reason, r.record) for r in rejects] == [
        ("crawl.jsonl", "bad-jsonl-line", n) for n in (2, 3, 4, 5, 6)
    ]
    details = [r.detail for r in rejects]
    assert details[0].startswith("not JSON") and "not an object" in details[1]
    assert "neither `html` nor `text`" in details[2]
    assert "`html` is a int" in details[3] and "`url` is a int" in details[4]
    assert skipped == {"jsonl-blank-line": 1}


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_compressed_jsonl_reads_like_plain(tmp_path, suffix):
    plain = list(read_pages([write_lines(tmp_path / "c.jsonl", JSONL_LINES)]))
    packed = list(read_pages([write_lines(tmp_path / f"c{suffix}", JSONL_LINES)]))
    assert [(type(i).__name__, i.record, getattr(i, "data", None)) for i in packed] == [
        (type(i).__name__, i.record, getattr(i, "data", None)) for i in plain
    ]


@pytest.mark.parametrize(
    ("suffix", "reason"), [(".jsonl.gz", "truncated-gzip"), (".jsonl.zst", "truncated-zstd")]
)
def test_truncated_compressed_jsonl_gives_the_lines_before_the_cut(tmp_path, suffix, reason):
    # 600 KB: zstd decodes whole blocks of up to 128 KB, so a cut loses the block it falls in
    lines = [json.dumps({"id": i, "text": f"page {i} " + os.urandom(300).hex()}) for i in range(1, 1001)]
    whole = write_lines(tmp_path / f"whole{suffix}", lines).read_bytes()
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(whole[: len(whole) // 2])
    pages, rejects = pages_and_rejects(list(read_pages([cut])))
    assert 100 < len(pages) < 900
    assert [p.record for p in pages] == list(range(1, len(pages) + 1))  # every line before the cut
    assert [(r.reason, r.record) for r in rejects] == [(reason, len(pages) + 1)]
    assert "cut short" in rejects[0].detail


def test_corrupt_gzip_jsonl_ends_with_bad_gzip_after_the_good_lines(tmp_path):
    """Deflate damage is caught by the member's CRC at its end at the latest: the lines decoded
    before the damaged spot are intact, and the file ends with a bad-gzip reject."""
    texts = [os.urandom(200).hex() for _ in range(300)]
    data = bytearray(
        write_lines(tmp_path / "x.jsonl.gz", [json.dumps({"text": t}) for t in texts]).read_bytes()
    )
    spot = len(data) * 2 // 3
    data[spot : spot + 64] = b"\xff" * 64
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(bytes(data))
    items = list(read_pages([bad]))
    pages, _ = pages_and_rejects(items)
    assert [p.data.decode() for p in pages[:150]] == texts[:150]
    last = items[-1]
    assert isinstance(last, Unreadable) and last.reason == "bad-gzip" and last.record is not None
    assert "bad gzip data" in last.detail


def test_oversized_records_are_rejected_without_being_held(tmp_path, monkeypatch):
    from cleaner.inputs import jsonl as jsonl_input
    from cleaner.inputs import warc as warc_input

    monkeypatch.setattr(jsonl_input, "MAX_RECORD_BYTES", 1000)
    monkeypatch.setattr(warc_input, "MAX_RECORD_BYTES", 1000)
    lines = [json.dumps({"text": "small"}), json.dumps({"text": "x" * 5000}), json.dumps({"text": "after"})]
    jsonl = write_lines(tmp_path / "big.jsonl", lines)
    warc = tmp_path / "big.warc.gz"
    write_warc([("https://s.example/1", html("x" * 5000)), ("https://s.example/2", html("small"))], warc)
    for path, kept in ((jsonl, [1, 3]), (warc, [2])):
        pages, rejects = pages_and_rejects(list(read_pages([path])))
        assert [p.record for p in pages] == kept
        assert [(r.reason, r.record) for r in rejects] == [("too-large", 2 if path == jsonl else 1)]

    from cleaner.inputs import read

    monkeypatch.setattr(read, "MAX_RECORD_BYTES", 1000)
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "big.txt").write_bytes(b"x" * 5000)
    (folder / "bomb.html.gz").write_bytes(gzip.compress(b"<p>" + b"x" * 5000))  # small on disk
    (folder / "ok.txt").write_bytes(b"x" * 1000)
    items = list(read_pages([folder]))
    assert [(type(i).__name__, i.path, getattr(i, "reason", None)) for i in items] == [
        ("Unreadable", "pages/big.txt", "too-large"),
        ("Unreadable", "pages/bomb.html.gz", "too-large"),
        ("Page", "pages/ok.txt", None),
    ]


def test_jsonl_is_streamed_not_loaded(tmp_path):
    """Peak memory while reading stays near one page, far below the file's size."""
    path = tmp_path / "big.jsonl.zst"
    with path.open("wb") as fh, zstandard.ZstdCompressor().stream_writer(fh) as out:
        for i in range(600):  # 12 MB of JSON
            out.write(json.dumps({"id": i, "text": os.urandom(10_000).hex()}).encode() + b"\n")
    tracemalloc.start()
    try:
        count = sum(1 for item in read_pages([path]) if isinstance(item, Page))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 600
    assert peak < 2_000_000, peak


# ---------------------------------------------------------------- WARC


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_become_pages_with_their_provenance(tmp_path, name):
    path = tmp_path / name
    mixed_warc(path)
    skipped: Counter[str] = Counter()
    pages, rejects = pages_and_rejects(list(read_pages([path], skipped)))
    assert rejects == []
    assert [(p.record, p.url, p.fetched_at, p.format, p.encoding) for p in pages] == [
        (3, "https://a.example/", "2024-03-01T10:00:00Z", "html", "ISO-8859-1"),
        (7, "https://b.example/x", "2024-03-02T11:30:00Z", "html", None),
    ]
    assert pages[0].data == LATIN1_PAGE  # chunked transfer and gzip content encoding undone
    assert pages[0].sha256 == hashlib.sha256(LATIN1_PAGE).hexdigest()
    assert pages[1].data == html("Second")
    assert all(p.path == name and p.input_id and p.input_id.startswith("<urn:uuid:") for p in pages)
    assert len({p.input_id for p in pages}) == 2
    assert skipped == {
        "warc-warcinfo": 1,
        "warc-request": 1,
        "warc-non-html": 1,
        "warc-non-2xx": 1,
        "warc-metadata": 1,
    }


@pytest.mark.parametrize("transfer", [None, "chunked"])
def test_warc_brotli_content_encoding_is_undone(tmp_path, transfer):
    import brotli

    body = brotli.compress(LATIN1_PAGE)
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "br")]
    if transfer:
        body = chunked(body, 5)
        headers.append(("Transfer-Encoding", transfer))
    path = tmp_path / "br.warc"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        _response(writer, "https://br.example/", body, headers)
        _response(writer, "https://br.example/plain", LATIN1_PAGE, headers)  # decoded already, header kept
    assert [p.data for p in read_pages([path])] == [LATIN1_PAGE, LATIN1_PAGE]


def test_warc_charset_hint_reaches_decode(tmp_path):
    """The HTTP charset travels in Page.encoding; decode_bytes takes it as http_charset."""
    from cleaner.inputs.decode import decode_bytes

    path = tmp_path / "c.warc"
    mixed_warc(path)
    page = next(p for p in read_pages([path]) if isinstance(p, Page))
    text, encoding = decode_bytes(page.data, html=True, http_charset=page.encoding)
    assert "Café crème à la française" in text and encoding == "cp1252"  # WHATWG: latin-1 is windows-1252


@pytest.mark.parametrize("name", ["cut.warc", "cut.warc.gz"])
def test_truncated_warc_gives_the_pages_before_the_cut(tmp_path, name):
    whole = tmp_path / f"whole-{name}"
    pages_in = [(f"https://n.example/{i}", html(f"Page {i}", os.urandom(3000).hex())) for i in range(1, 11)]
    write_warc(pages_in, whole)
    data = whole.read_bytes()
    cut = tmp_path / name
    cut.write_bytes(data[: int(len(data) * 0.55)])
    pages, rejects = pages_and_rejects(list(read_pages([cut])))
    assert [p.url for p in pages] == [u for u, _ in pages_in[: len(pages)]]
    assert [p.data for p in pages] == [h for _, h in pages_in[: len(pages)]]
    assert 3 <= len(pages) <= 6
    assert [(r.path, r.reason, r.record) for r in rejects] == [(name, "truncated-warc", len(pages) + 1)]


def test_warc_cut_inside_a_record_header_is_reported(tmp_path):
    whole = tmp_path / "w.warc"
    write_warc([("https://h.example/1", html("One")), ("https://h.example/2", html("Two"))], whole)
    data = whole.read_bytes()
    second = data.index(b"WARC/1.0", 10)
    for end in (second + 5, second + 60, data.index(b"HTTP/1.1", second) + 20):
        cut = tmp_path / "h.warc"
        cut.write_bytes(data[:end])
        pages, rejects = pages_and_rejects(list(read_pages([cut])))
        assert [p.url for p in pages] == ["https://h.example/1"], end
        assert [(r.reason, r.record) for r in rejects] == [("truncated-warc", 2)], end


@pytest.mark.parametrize("name", ["fake.warc", "fake.warc.gz"])
def test_a_file_that_is_not_warc_is_a_bad_warc(tmp_path, name):
    path = tmp_path / name
    data = b"<html>this is not an archive</html>\n" * 50
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    (reject,) = read_pages([path])
    assert isinstance(reject, Unreadable) and (reject.reason, reject.record) == ("bad-warc", 1)


def test_dev_set_as_warc_cleans_to_the_same_texts_as_the_html_files(tmp_path, cleaner):
    """Done-when of issue 3: the development set's pages inside a .warc.gz give the same texts."""
    from cleaner.run.runner import run

    data = need_shared("data", "aeb")
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    records: list[tuple[str, bytes]] = []
    page_ids: list[str] = []
    for page in sorted(data.glob("*.html.gz")):
        page_id = page.name[: -len(".html.gz")]
        body = gzip.decompress(page.read_bytes())
        (html_dir / f"{page_id}.html").write_bytes(body)
        records.append((json.loads((data / f"{page_id}.meta.json").read_text())["url"], body))
        page_ids.append(page_id)
    warc_dir = tmp_path / "warc"
    warc_dir.mkdir()
    write_warc(records, warc_dir / "aeb.warc.gz")
    id_of_url = dict(zip([u for u, _ in records], page_ids, strict=True))

    run([html_dir], tmp_path / "out-html", cleaner)
    run([warc_dir], tmp_path / "out-warc", cleaner)
    from_html: dict[str, list[str]] = {}
    for rec in read_jsonl(tmp_path / "out-html" / "corpus.jsonl"):
        from_html.setdefault(Path(rec["source"]["path"]).name[: -len(".html")], []).append(rec["text"])
    from_warc: dict[str, list[str]] = {}
    for rec in read_jsonl(tmp_path / "out-warc" / "corpus.jsonl"):
        url = records[rec["source"]["record"] - 1][0]  # one response record per page, in order
        from_warc.setdefault(id_of_url[url], []).append(rec["text"])
    assert len(from_html) == len(page_ids) == 181
    assert from_warc == from_html
    assert read_jsonl(tmp_path / "out-warc" / "rejects.jsonl") == []


def test_jsonl_lines_orjson_refuses_are_judged_by_json():
    """Lines are read with orjson, and json judges what orjson refuses: the answer is json's."""
    from cleaner.inputs.jsonl import parse_line

    big = parse_line(b'{"id": 123456789012345678901234567890, "text": "t", "score": 1e400}\n', "c.jsonl", 1)
    assert isinstance(big, Page) and big.input_id == "123456789012345678901234567890"
    lone = parse_line(b'{"html": "a \\ud800 b"}\n', "c.jsonl", 2)
    assert isinstance(lone, Unreadable) and "not valid Unicode" in lone.detail
    broken = parse_line(b'{"html": "x",}\n', "c.jsonl", 3)
    assert isinstance(broken, Unreadable) and broken.detail.startswith("not JSON: Expecting property name")
    plain = parse_line(
        '{"html": "<p>Un été</p>", "url": "https://x.example/1", "id": 7}\n'.encode(), "c.jsonl", 4
    )
    assert isinstance(plain, Page) and plain.data == "<p>Un été</p>".encode() and plain.input_id == "7"
