"""The recall guard: the page's prose, the choice between candidates, the JSON-LD body."""

from __future__ import annotations

import gzip
import json

from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

import cleaner.extract.html as html_module
from cleaner.cli import main
from cleaner.extract.choose import Candidate, choose, page_prose
from cleaner.extract.html import extract_page
from cleaner.extract.structured import article_body
from cleaner.inputs.decode import decode_bytes

from .conftest import need_shared

PARAGRAPHS = [
    f"Paragraph {i} of the report says the river rose again overnight and the town council met at dawn."
    for i in range(6)
]


def test_page_prose_counts_the_article_and_not_the_chrome():
    html = (
        "<html><body><nav><p>Navigation text that reads like a sentence but is part of the menu.</p></nav>"
        "<header><p>A header line that also reads like a proper sentence, with words enough.</p></header>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])
        + "<ul><li><a href='/a'>A related story whose link text is long enough to be a sentence.</a></li></ul>"
        + "<div class='comments'><p>A reader's comment that is long enough to count as prose, really.</p></div>"
        + "<p>Too short.</p>"
        + "<footer><p>Copyright notice of the site that reads like a long sentence too, alas.</p></footer>"
        + "</body></html>"
    )
    assert page_prose(html) == sum(len(p) for p in PARAGRAPHS[:3])


def test_choose_keeps_the_first_unless_another_holds_far_more_prose():
    first = Candidate("first", PARAGRAPHS[:2])
    close = Candidate("default", PARAGRAPHS[:3])  # more, but not 1.5 times plus 300 characters
    far = Candidate("jsonld", PARAGRAPHS * 2)
    assert choose(first, [close]).name == "first"
    assert choose(first, [close, far]).name == "jsonld"
    assert choose(Candidate("first", []), [Candidate("default", ["Menu", "Home"])]).name == "first"


def _teaser_page() -> str:
    body = {"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": "\n".join(PARAGRAPHS)}
    return (
        "<html><head><title>River</title>"
        f"<script type='application/ld+json'>{json.dumps(body)}</script></head>"
        f"<body><article><h1>River rises</h1><p>{PARAGRAPHS[0]}</p>"
        "<p>Subscribe to read the rest.</p></article></body></html>"
    )


def test_a_teaser_page_takes_its_json_ld_body_and_says_so():
    got = extract_page(_teaser_page(), url="https://example.org/river")
    assert got.flags == ["extract/fallback-jsonld"]
    assert [b.text for b in got.blocks] == PARAGRAPHS


def test_a_whole_page_keeps_its_html_body():
    html = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>"
    got = extract_page(html, url="https://example.org/river")
    assert got.flags == []
    assert [b.text for b in got.blocks] == PARAGRAPHS


def test_the_fallback_is_in_the_record_flags(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "river.html").write_text(_teaser_page(), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["clean", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert "extract/fallback-jsonld" in record["flags"]
    assert record["text"] == "\n\n".join(PARAGRAPHS)


def test_article_body_skips_broken_and_foreign_scripts():
    html = (
        "<script type='application/ld+json'>{not json, \"articleBody\": </script>"
        '<script type=\'text/javascript\'>var x = {"articleBody": "script text"};</script>'
        "<script type='application/ld+json'>"
        + json.dumps(
            {"@graph": [{"@type": "WebPage"}, {"@type": "Article", "articleBody": "One.\n\nTwo  words."}]}
        )
        + "</script>"
    )
    assert article_body(LexborHTMLParser(html)) == ["One.", "Two words."]


def _clean_one(tmp_path, html: str) -> dict:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(html, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["clean", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    return json.loads((tmp_path / "out" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[0])


def test_an_intro_set_as_a_heading_is_the_standfirst(tmp_path):
    intro = "The river rose for a third night and the council met at dawn to plan what to do next."
    html = f"<html><body><article><h2>{intro}</h2>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    record = _clean_one(tmp_path, html + "</article></body></html>")
    assert record["standfirst"] == intro
    assert record["text"] == "\n\n".join(PARAGRAPHS)


def test_teasers_after_a_bare_label_end_the_article(tmp_path):
    teasers = ["Another town floods as the rain goes on and on, officials said today."] * 2
    html = (
        "<html><body><article>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "<p>You may also like</p>"
        + "".join(f"<p>{t} ({i})</p>" for i, t in enumerate(teasers))
        + "</article></body></html>"
    )
    record = _clean_one(tmp_path, html)
    assert record["text"] == "\n\n".join(PARAGRAPHS)
    assert [r["rule"] for r in record["removed"]][-2:] == ["heur/after-label", "heur/after-label"]


def _article_then(tmp_path, tail):
    html = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return _clean_one(tmp_path, html + "".join(f"<p>{t}</p>" for t in tail) + "</article></body></html>")


def test_a_run_of_short_lines_after_the_last_paragraph_goes(tmp_path):
    tail = ["Share this article now:", "Permalink to this page", "Tel. 0863 / 91131 - Fax 0863"]
    record = _article_then(tmp_path, tail)
    assert record["text"] == "\n\n".join(PARAGRAPHS)
    gone = [r for r in record["removed"] if r["rule"] == "heur/after-article"]
    assert [r["text"] for r in gone] == tail


def test_one_short_line_after_the_last_paragraph_stays(tmp_path):
    record = _article_then(tmp_path, ["Photos and words: Jane Doe"])  # a sign-off, five words
    assert record["text"] == "\n\n".join([*PARAGRAPHS, "Photos and words: Jane Doe"])


def test_a_short_run_with_a_longer_line_in_it_stays(tmp_path):
    tail = ["Photos and words: Jane Doe", "More pictures of the flood in the gallery of our site"]
    record = _article_then(tmp_path, tail)
    assert record["text"] == "\n\n".join([*PARAGRAPHS, *tail])


def test_the_guard_fires_on_a_small_share_of_a_long_page_whatever_was_kept():
    from cleaner.extract.choose import short_of_prose

    assert short_of_prose(500, 1100)  # little kept, the page holds 1.5 times that plus 300
    assert not short_of_prose(500, 1000)
    assert short_of_prose(3000, 13100)  # much kept, but the page holds 4 times that plus 1000
    assert not short_of_prose(3000, 12900)
    assert not short_of_prose(3000, 5000)  # the first trigger alone stops at 800 kept


def test_the_page_text_bounds_its_prose():
    from cleaner.extract.html import _text_size

    html = "<html><body><p>" + "</p><p>".join(PARAGRAPHS) + "</p><div>menu  item</div></body></html>"
    size = _text_size(LexborHTMLParser(html))
    assert size >= page_prose(html) == sum(len(p) for p in PARAGRAPHS)
    assert size == len(" ".join([*PARAGRAPHS, "menu item"]))


def test_the_precision_pass_alone_when_it_holds_most_of_the_page_prose():
    from cleaner.extract.choose import precise_enough

    precise = Candidate("precise", PARAGRAPHS[:3])
    assert precise_enough(precise, int(precise.prose / 0.7))  # 70 % of the page's prose
    assert not precise_enough(precise, int(precise.prose / 0.7) + 10)
    assert not precise_enough(Candidate("precise", ["Menu", "Home"]), 0)  # no prose at all: ask recall


def test_the_precision_pass_kept_when_it_dropped_only_what_is_not_prose():
    from cleaner.extract.choose import keeps_precise

    recall = Candidate("recall", [*PARAGRAPHS, "Contact us", "Follow us on social media"])
    assert keeps_precise(Candidate("precise", PARAGRAPHS), recall)
    assert not keeps_precise(Candidate("precise", PARAGRAPHS[:4]), recall)  # lost a third of the prose
    assert not keeps_precise(Candidate("precise", recall.texts), recall)  # not shorter: nothing gained


def test_the_raw_page_is_tried_only_where_the_pruned_page_has_next_to_no_prose():
    from cleaner.extract.choose import next_to_no_prose

    assert next_to_no_prose(100, 250)
    assert not next_to_no_prose(100, 400)
    assert not next_to_no_prose(900, 100)  # much kept: nothing to rescue


def _trafeval_page(key: str) -> tuple[str, str]:
    data = need_shared("data", "trafeval")
    item = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))[key]
    html, _ = decode_bytes(gzip.decompress((data / f"{key}.html.gz").read_bytes()), html=True)
    return html, item["url"]


def test_full_precision_mode_replaces_a_recall_pass_that_lost_the_lead():
    """trafeval ddafee58cec6c7c3 (world.kbs.co.kr, a development quarter), checked by hand in the
    page: the report is loose text with <br>s in `div.body_txt`, after a photo box; its first
    paragraph ("Anchor: After heavy downpours ... even colder.") comes before "Max Lee has more.".
    The fast precision pass keeps a caption and two lines, the fast recall pass starts at "Max Lee
    has more." (the lead lost); trafilatura's precision mode with its fallbacks keeps the lead
    and holds the recall pass's prose in fewer characters, so it is kept."""
    html, url = _trafeval_page("ddafee58cec6c7c3")
    got = extract_page(html, url=url)
    assert got.flags == ["extract/fallback-precise-full"]
    text = " ".join(b.text for b in got.blocks)
    assert text.startswith("Anchor: After heavy downpours on Monday, Tuesday morning was met with strong")
    assert "Wednesday is forecast to be even colder. Max Lee has more." in text
    assert "Most Viewed" not in text


def test_full_precision_mode_runs_only_where_the_recall_pass_was_kept(monkeypatch):
    """It costs a slow pass (readability, jusText): a page the fast precision pass holds whole never pays it."""
    modes: list[bool] = []
    real = html_module._run_trafilatura

    def spy(page, url, hints, args, *parsed):
        modes.append(bool(args["fast"]))
        return real(page, url, hints, args, *parsed)

    monkeypatch.setattr(html_module, "_run_trafilatura", spy)
    html = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>"
    assert extract_page(html, url="https://example.org/river").flags == []
    assert modes == [True]
