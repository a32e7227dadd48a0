"""cleaner.extract.lxml_page parses as trafilatura.utils.load_html does, and trafilatura extracts
the same body from its tree as from the page itself."""

from __future__ import annotations

import gzip

import lxml.html
import pytest
import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from cleaner.extract.html import _FULL_PRECISE_ARGS, _PRECISE_ARGS, _RECALL_ARGS
from cleaner.extract.lxml_page import parse

from .conftest import need_shared

ODD = [
    "<html><body><p>One paragraph of text.</p></body></html>",
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>declared</p></body></html>',  # str refused: bytes
    "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN' />\n<html><body><p>doctype</p></body></html>",
    "<html/>\n<body><p>self-closed html</p></body>",
    "<p>a fragment, not starting like HTML</p>",
    "<div><p>two</p></div><div><p>blocks</p></div>",
    "plain text, no markup at all",
    "<html><body><form><label>Name</label><input value=x></form><p>after the form</p></body></html>",
    "<html><body><p>a \x00 nul and \x0b a vertical tab</p><!-- a comment --></body></html>",
]


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return etree.tostring(a, encoding=str) == etree.tostring(b, encoding=str)


@pytest.mark.parametrize("html", ODD)
def test_odd_inputs_parse_as_trafilatura_parses_them(html):
    assert _same(parse(html), load_html(html))


def test_elements_are_lxml_html_elements_without_a_python_lookup():
    tree = parse("<html><body><form><input value=x><p>text</p></form></body></html>")
    assert all(isinstance(e, lxml.html.HtmlElement) for e in tree.iter() if isinstance(e.tag, str))
    assert tree.find(".//p").text_content() == "text"


def test_development_pages_give_trafilatura_the_same_body():
    """Every 12th aeb page (16 pages): the same tree, and the passes on the lean page (both fast
    ones and the full-precision one) extract the same body from it as from the page string, leaving
    it unchanged for the next pass (all 1,126 aeb and trafeval pages were checked once)."""
    pages = sorted(need_shared("data", "aeb").glob("*.html.gz"))[::12]
    for path in pages:
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        tree = parse(html)
        assert _same(tree, load_html(html)), path.name
        before = etree.tostring(tree, encoding=str)
        for args in (_PRECISE_ARGS, _RECALL_ARGS, _FULL_PRECISE_ARGS):  # one tree, as extract_page does
            mine = trafilatura.bare_extraction(tree, **args)
            assert etree.tostring(tree, encoding=str) == before, "trafilatura changed the tree it was given"
            theirs = trafilatura.bare_extraction(html, **args)
            assert (mine is None) == (theirs is None), path.name
            if mine is not None:
                assert etree.tostring(mine.body, encoding=str) == etree.tostring(theirs.body, encoding=str)
