"""`cleaner explain PAGE --html`: the page with removed lines struck and labelled, kept lines marked."""

from __future__ import annotations

import hashlib
import re

from cleaner.model import Page
from cleaner.run.page import clean_page
from cleaner.tools.explain_html import explain_html, explain_html_file, explain_html_pages

from .conftest import SEEDS

TASS = SEEDS / "000_e556c51ad6b3cfb2.txt"


def _page(text: str, path: str = "t/page.txt") -> Page:
    data = text.encode("utf-8")
    return Page(path=path, data=data, sha256=hashlib.sha256(data).hexdigest(), format="text")


def _lines(page: str) -> list[tuple[str, str, str]]:
    """(fate, rule, inner text) of every line div."""
    found = re.findall(r'<div class="ln [^"]*" data-fate="([^"]*)" data-rule="([^"]*)">(.*?)</div>', page)
    return [(fate, rule, inner) for fate, rule, inner in found]


def test_removed_lines_are_struck_and_labelled_kept_lines_marked(cleaner):
    data = TASS.read_bytes()
    result = clean_page(Page(path="seeds/000.txt", data=data, sha256="x" * 64, format="text"), cleaner)
    page = explain_html(result)
    lines = _lines(page)
    assert len(lines) == sum(1 for ln in result.lines if ln.text)
    removed = [ln for ln in lines if ln[0] == "removed"]
    assert removed[0][:2] == ("removed", "tass/all-news")
    assert "<del>All news</del>" in removed[0][2] and "navigation" in removed[0][2]
    assert all("<del>" in inner for _, _, inner in removed)
    kept = [ln for ln in lines if ln[0] != "removed"]
    assert not any("<del>" in inner for _, _, inner in kept)
    fates = {fate for fate, _, _ in kept}
    assert {"headline", "standfirst", "subhead", "body"} <= fates
    headline = next(inner for fate, _, inner in kept if fate == "headline")
    assert "Terrorists in eastern Aleppo surrounded" in headline
    assert "article 1" in page and "site tass.com" in page
    assert "dateline" in page  # the dateline cut from the first body line is shown as a flag
    assert not re.search(r"<(script|link|img)\b", page)  # self-contained


def test_text_is_escaped_and_rejects_are_shown(cleaner):
    hostile = '<script>alert("x")</script>'
    page = explain_html(clean_page(_page(f"{hostile}\n\nShort.\n"), cleaner))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "rejected: no-article" in page


def test_several_pages_and_unreadable_inputs(tmp_path, cleaner):
    a = clean_page(
        _page("Home\n\n" + "A sentence that is long enough to be prose in a page. " * 3, "a.txt"), cleaner
    )
    b = clean_page(_page("Nothing here", "b.txt"), cleaner)
    page = explain_html_pages([a, b])
    assert page.count("<section>") == 2 and "a.txt" in page and "b.txt" in page
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    page = explain_html_file(empty, cleaner)
    assert "rejected:" in page and "empty.txt" in page
    page = explain_html_file(TASS, cleaner)
    assert "tass/all-news" in page and page.startswith("<!DOCTYPE html>")
