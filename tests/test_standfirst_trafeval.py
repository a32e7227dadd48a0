"""On every trafeval page (../shared/data/trafeval): a standfirst is text the page prints,
and it comes before the article's body: no snippet the annotators marked as main text is
printed between the headline and the standfirst (and nowhere after it)."""

from __future__ import annotations

import gzip
import json
import re

from selectolax.lexbor import LexborHTMLParser

from cleaner.extract.html import _defuse
from cleaner.extract.meta import read_meta
from cleaner.inputs.decode import decode_bytes

from .conftest import need_shared

_INVISIBLE = "script, style, noscript, template"


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _printed_text(tree: LexborHTMLParser) -> str:
    for node in tree.css(_INVISIBLE):
        node.decompose()
    return _words(tree.body.text(deep=True, separator=" ") if tree.body else "")


def test_every_trafeval_standfirst_is_printed_before_the_body() -> None:
    data = need_shared("data", "trafeval")
    annotations = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))
    found, problems = 0, []
    for key, item in sorted(annotations.items()):
        page = data / f"{key}.html.gz"
        if not page.exists():
            continue
        html, _ = decode_bytes(gzip.decompress(page.read_bytes()), html=True)
        html = _defuse(html)
        # without the page string: no htmldate or trafilatura author search, which the standfirst
        # does not use (it reads the headline's h1 and the description only)
        meta = read_meta(LexborHTMLParser(html), item.get("url"))
        if not meta.standfirst:
            continue
        found += 1
        printed = _printed_text(LexborHTMLParser(html))
        lead = _words(meta.standfirst)
        at = printed.find(lead)
        if at < 0:
            problems.append(f"{key}: not printed: {meta.standfirst[:80]}")
            continue
        headline = _words(meta.title or "")
        top = (
            max(printed.rfind(headline, 0, at), 0) if headline else 0
        )  # a caption over the headline: not body
        for snippet in item["with"]:
            words = _words(snippet)
            if not words or words in lead or words in headline:
                continue
            where = printed.find(words, top)
            if 0 <= where < at and printed.find(words, at + len(lead)) < 0:
                problems.append(f"{key}: after the body text {snippet[:40]!r}: {meta.standfirst[:60]}")
                break
    assert found >= 0.25 * len(annotations), f"only {found} standfirsts"
    assert not problems, "\n".join(problems)
