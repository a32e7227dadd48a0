"""Every file of a folder is considered: pages are told by their content, whatever their name,
and anything else is listed in rejects, never dropped silently."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import NO_PAGES, main
from cleaner.inputs.read import read_pages
from cleaner.inputs.sniff import sniff_bytes
from cleaner.inputs.streams import Unreadable
from cleaner.model import Page

from .conftest import read_jsonl

STORIES = {
    "x": "The harbour board approved a new ferry timetable after months of complaints from commuters",
    "x php": "A local bakery won the regional bread prize with a rye loaf made from a century-old recipe",
    "x shtml": "Heavy snow closed the mountain pass on Tuesday and drivers waited for hours at the border",
    "x HTML": "The city library will open on Sundays from March funded by a grant from a reading charity",
    "Lund": "Students in Lund built a solar boat that crossed the lake in record time last weekend",
}


def article(name: str) -> str:
    """A page with its own story, so no two pages of a folder are copies of each other."""
    story = STORIES[name]
    paragraphs = "".join(
        f"<p>{story}, and paragraph {k} of the report adds that {' '.join(reversed(story.split()[3:]))}.</p>"
        for k in range(4)
    )
    return (
        f"<!DOCTYPE html>\n<html><head><title>Council of {name} votes</title></head>"
        f"<body><article><h1>Council of {name} votes</h1>{paragraphs}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"<!doctype html><p>x", "html"),
        (b"\n\n  <HTML lang=en>", "html"),
        (b"<!-- generated -->\n<head><title>x</title>", "html"),
        (b"<body>\n<p>x</p>", "html"),
        ("\ufeff<html>".encode("utf-16-le"), "html"),  # BOM, then NULs between the letters
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
        (b'{"url": "https://a.example/", "html": "<p>x</p>"}\n{"url": "b"}', "jsonl"),
        (b"Headline\n\nMOSCOW, May 3. /TASS/. The body of a text dump.\n", "text"),
        ("Заголовок\n\nТекст статьи.".encode("cp1251"), "text"),  # legacy bytes are still text
        (b"", "text"),  # empty: read as a page, rejected as empty
        (b"\x89PNG\r\n\x1a\n\x00\x00", None),
        (b"PK\x03\x04\x14\x00", None),  # .docx, .zip
        (b"%PDF-1.7\n", None),
        (b'<?xml version="1.0"?><rss><channel>', None),  # a feed is markup, not a page
        (b'{\n  "pretty": "json"\n}', None),  # JSON, not JSONL
        (b"\x01\x02\x03\x04binary\x05\x06\x07", None),
    ],
)
def test_sniff_tells_kinds_by_content(head, kind):
    assert sniff_bytes(head) == kind


def test_a_folder_of_oddly_named_pages_is_cleaned_whole(tmp_path):
    """Done-when 1 of issue 13: x, x.php, x.shtml, x.HTML all cleaned; a PNG and a .docx rejected."""
    folder = tmp_path / "crawl"
    folder.mkdir()
    names = ["x", "x.php", "x.shtml", "x.HTML"]
    for name in names:
        (folder / name).write_text(article(name.replace(".", " ")), encoding="utf-8")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "notes.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(200))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["clean", str(folder), "--out", str(out), "--quiet", "--workers", "1"])
    assert result.exit_code == 0, result.output
    corpus = read_jsonl(out / "corpus.jsonl")
    assert sorted(r["source"]["path"] for r in corpus) == sorted(f"crawl/{n}" for n in names)
    assert {r["source"]["format"] for r in corpus} == {"html"}
    assert read_jsonl(out / "duplicates.jsonl") == []
    rejects = read_jsonl(out / "rejects.jsonl")
    assert [(r["path"], r["reason"]) for r in rejects] == [
        ("crawl/logo.png", "unsupported-format"),
        ("crawl/notes.docx", "unsupported-format"),
    ]


def test_an_extensionless_html_file_named_directly_is_html(tmp_path):
    page = tmp_path / "index"
    page.write_text(article("Lund"), encoding="utf-8")
    (item,) = list(read_pages([page]))
    assert isinstance(item, Page) and item.format == "html"


def test_text_dumps_keep_working_with_or_without_txt(tmp_path):
    dump = "Council of Lund votes\n\nLUND, May 3. The council met on Monday and voted.\n"
    (tmp_path / "a.txt").write_text("<html> is how the page began\n" + dump)  # .txt: a dump by name
    (tmp_path / "b").write_text(dump)
    (tmp_path / "c.gz").write_bytes(gzip.compress(article("Lund").encode()))
    items = list(read_pages([tmp_path]))
    assert [(i.path, i.format) for i in items if isinstance(i, Page)] == [
        (f"{tmp_path.name}/a.txt", "text"),
        (f"{tmp_path.name}/b", "text"),
        (f"{tmp_path.name}/c.gz", "html"),
    ]


def test_a_sniffed_jsonl_or_warc_file_is_read_as_its_kind(tmp_path):
    (tmp_path / "crawl.dat").write_text(
        '{"url": "https://a.example/1", "html": "<html><body><p>One</p></body></html>"}\n'
        '{"url": "https://a.example/2", "text": "Two"}\n'
    )
    items = list(read_pages([tmp_path / "crawl.dat"]))
    assert [(type(i).__name__, getattr(i, "url", None)) for i in items] == [
        ("Page", "https://a.example/1"),
        ("Page", "https://a.example/2"),
    ]


def test_an_empty_folder_or_a_folder_of_images_exits_with_no_pages(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["clean", str(empty), "--out", str(tmp_path / "o1"), "--quiet"])
    assert result.exit_code == NO_PAGES == 3
    assert "no page found" in result.output
    images = tmp_path / "images"
    images.mkdir()
    (images / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (images / "b.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    result = CliRunner().invoke(main, ["clean", str(images), "--out", str(tmp_path / "o2"), "--quiet"])
    assert result.exit_code == NO_PAGES
    assert "2 files of no page format" in result.output
    assert [r["reason"] for r in read_jsonl(tmp_path / "o2" / "rejects.jsonl")] == ["unsupported-format"] * 2


def test_unreadable_unknown_file_is_a_reject_not_a_crash(tmp_path):
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    items = list(read_pages([tmp_path]))
    assert [(type(i), i.reason) for i in items if isinstance(i, Unreadable)] == [(Unreadable, "unreadable")]


def test_every_file_is_listed(tmp_path: Path):
    """Hidden and odd names included: what a file is, is the reader's to say."""
    for name in ("a.txt", ".hidden", "page.aspx"):
        (tmp_path / name).write_text("Some text of a page.\n")
    assert sorted(i.path for i in read_pages([tmp_path])) == sorted(
        f"{tmp_path.name}/{n}" for n in (".hidden", "a.txt", "page.aspx")
    )
