"""html_extract.extract and page_meta.read_meta on handmade pages: structure, robustness, metadata."""

from __future__ import annotations

import time

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaner.extract import html as html_extract
from cleaner.extract.html import Block, extract, fallback_blocks, validate_css
from cleaner.extract.meta import PageMeta, parse_date, read_meta, strip_site_name

URL = "https://news.example.com/world/2019/11/20/storm-floods-coastal-towns?utm_source=x"

ARTICLE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Storm floods coastal towns | Example News</title>
<meta property="og:title" content="Storm floods coastal towns | Example News">
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="/world/2019/11/20/storm-floods-coastal-towns">
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "@id": "https://news.example.com/#website", "name": "Example News"},
  {"@type": "Organization", "@id": "https://news.example.com/#org", "name": "Example News Group"},
  {"@type": "Person", "@id": "https://news.example.com/#jane", "name": "Jane Doe"},
  {"@type": ["NewsArticle"], "headline": "Storm floods coastal towns",
   "datePublished": "2019-11-20T08:15:00+01:00", "dateModified": "2019-11-21T10:00:00+01:00",
   "author": [{"@id": "https://news.example.com/#jane"}, {"@type": "Person", "name": "John Smith"}],
   "publisher": {"@id": "https://news.example.com/#org"}}
]}
</script>
<meta name="author" content="Jane Doe">
<style>p { color: red }</style>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<header><h1>Storm floods coastal towns</h1></header>
<p>The storm arrived on Tuesday night and brought heavy rain to the whole coastal region,
   officials said in a statement on Wednesday.</p>
<h2>Damage in the towns</h2>
<p>Several towns reported flooding in their centres, and the roads between them were closed for hours
   while crews cleared fallen trees.</p>
<div class="promo-box"><p>Sign up to our daily newsletter and never miss a story from the coast again, it is free.</p></div>
<ul><li>More than 200 homes lost power across the whole region overnight.</li>
<li>Three bridges were closed to all traffic until further notice.</li></ul>
<blockquote><p>We have never seen the water this high in our whole lifetime, said one resident
   who has lived there for decades.</p></blockquote>
<table><caption>Rain on Tuesday night</caption>
<tr><th>Town</th><th>Rain (mm)</th></tr><tr><td>Alpha</td><td>120</td></tr><tr><td>Beta</td><td>95</td></tr></table>
<pre>Rainfall  Tue  Wed
Alpha     80   40</pre>
<p>Recovery work is expected to last several weeks, according to the regional government and the
   emergency&#8203;services of the area.</p>
<script>document.write("script text must never appear in the article body");</script>
</article>
<aside><h3>Related</h3><ul><li><a href="/a">Other story one</a> <time datetime="2018-01-02">2 Jan 2018</time></li></ul></aside>
<footer><p>Copyright 2019 Example News Group. All rights reserved.</p></footer>
</body>
</html>
"""

PARAGRAPHS = "".join(
    f"<p>Paragraph {i} tells a different part of the story and is long enough to count as body text.</p>"
    for i in range(6)
)


def texts(blocks: list[Block]) -> str:
    return "\n".join(b.text for b in blocks)


# ---------------------------------------------------------------- structure


def test_article_blocks_kinds_and_order() -> None:
    blocks, _ = extract(ARTICLE, url=URL)
    kinds = [(b.kind, b.text[:24]) for b in blocks]
    # the first pass (trafilatura's precision mode) leaves the <header>'s h1 out: the headline
    # is the record's `headline`, read from the page's metadata
    assert kinds == [
        ("p", "The storm arrived on Tue"),
        ("h", "Damage in the towns"),
        ("p", "Several towns reported f"),
        ("p", "Sign up to our daily new"),
        ("li", "More than 200 homes lost"),
        ("li", "Three bridges were close"),
        ("quote", "We have never seen the w"),
        ("caption", "Rain on Tuesday night"),
        ("table", "Town | Rain (mm)"),
        ("table", "Alpha | 120"),
        ("table", "Beta | 95"),
        ("pre", "Rainfall Tue Wed Alpha 8"),
        ("p", "Recovery work is expecte"),
    ]


def test_block_text_is_normalised_and_chrome_is_gone() -> None:
    blocks, _ = extract(ARTICLE, url=URL)
    for b in blocks:
        assert b.text == " ".join(b.text.split()) and "\n" not in b.text
        assert b.kind in html_extract.KINDS
    body = texts(blocks)
    assert "regional government and the emergencyservices" in body  # &#8203; (zero width) removed
    for chrome in ("Home", "Other story one", "Copyright", "script text", "color: red"):
        assert chrome not in body


def test_css_drop_removes_site_chrome() -> None:
    blocks, _ = extract(ARTICLE, url=URL, css_drop=["div.promo-box", "table"])
    body = texts(blocks)
    assert "Sign up to our daily newsletter" not in body
    assert "Alpha | 120" not in body
    assert "Recovery work is expected" in body


def test_invalid_css_selector() -> None:
    validate_css("div.promo > p:nth-child(2)")
    with pytest.raises(ValueError, match="invalid CSS selector"):
        validate_css("div[[")
    with pytest.raises(ValueError):
        extract(ARTICLE, css_drop=["div[["])


def test_fallback_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_extract.trafilatura, "bare_extraction", lambda *a, **k: None)
    blocks, meta = extract(ARTICLE, url=URL)
    kinds = {b.kind for b in blocks}
    assert {"h", "p", "li", "quote", "pre"} <= kinds
    assert "script text" not in texts(blocks)
    assert meta.title == "Storm floods coastal towns"


def test_fallback_when_trafilatura_blows_up(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(html_extract.trafilatura, "bare_extraction", boom)
    blocks, _ = extract(ARTICLE, url=URL)
    assert any(b.text.startswith("The storm arrived") for b in blocks)


def test_fallback_blocks_innermost_with_kinds() -> None:
    tree = LexborHTMLParser(
        "<body><h3>Sub</h3><ul><li><p>item in a paragraph</p></li><li>plain item</li></ul>"
        "<blockquote><p>quoted words</p></blockquote><figure><figcaption>A caption</figcaption></figure></body>"
    )
    assert [(b.kind, b.text) for b in fallback_blocks(tree)] == [
        ("h", "Sub"),
        ("li", "item in a paragraph"),
        ("li", "plain item"),
        ("quote", "quoted words"),
        ("caption", "A caption"),
    ]


# ---------------------------------------------------------------- hostile markup


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "just words, no markup at all",
        "<<<>>><//p>< p ><div </div <script>alert(1)</scr",
        "<html><body><p>unclosed <b>bold <i>italic <a href='x",
        "<html><body>" + PARAGRAPHS + "<!-- a comment that never ends " + PARAGRAPHS,
        '<html><head><script type="application/ld+json">{"headline": '
        + "[" * 50_000
        + "</script></head></html>",
        "<p>\x00\x01 NUL and controls</p>",
    ],
)
def test_malformed_html_never_raises(html: str) -> None:
    blocks, meta = extract(html)
    assert isinstance(blocks, list) and isinstance(meta, PageMeta)


def test_truncated_page_keeps_what_arrived() -> None:
    html = ARTICLE[: ARTICLE.index("<table>")]  # the download stopped mid-article
    blocks, meta = extract(html, url=URL)
    assert any(b.kind == "quote" for b in blocks)
    assert "Several towns reported flooding" in texts(blocks)
    assert meta.published == "2019-11-20T08:15+01:00"


def test_100000_levels_deep() -> None:
    n = 100_000
    html = (
        "<html><body>"
        + PARAGRAPHS
        + "<div>" * n
        + "<p>Deep inside, a paragraph of the story still counts.</p>"
    )
    html += "</div>" * n + "</body></html>"
    start = time.process_time()
    blocks, _ = extract(html)
    assert time.process_time() - start < 5  # lexbor alone takes ~19 s on this without the depth cap
    assert "Paragraph 5 tells" in texts(blocks)


def test_100000_levels_unclosed() -> None:
    start = time.process_time()
    blocks, _ = extract("<html><body>" + PARAGRAPHS + "<div><span>x" * 100_000)
    assert time.process_time() - start < 5  # ~115 s uncapped
    assert "Paragraph 0 tells" in texts(blocks)


def test_text_below_lxml_depth_limit_is_kept() -> None:
    # libxml2 silently drops everything below depth 255; the serialised tree is flattened first
    deep = "<blockquote>" * 300 + "<p>The quoted paragraph sits three hundred levels down in the page.</p>"
    html = "<html><body><article>" + PARAGRAPHS + deep + "</blockquote>" * 300
    html += "<p>After the quote the article goes on with a closing paragraph of its own.</p></article></body></html>"
    body = texts(extract(html)[0])
    assert "three hundred levels down" in body
    assert "closing paragraph of its own" in body


@pytest.mark.parametrize("template", ['a{i}="{i}"', "a{i}", 'a="{i}"'])
def test_tag_with_100000_attributes(template: str) -> None:
    attrs = " ".join(template.format(i=i) for i in range(100_000))
    html = f"<html><body><article><div {attrs}>{PARAGRAPHS}</div></article></body></html>"
    start = time.process_time()
    blocks, _ = extract(html)
    assert time.process_time() - start < 5  # lexbor + libxml2 take ~30 s on distinct attributes
    assert "Paragraph 3 tells" in texts(blocks)


# ---------------------------------------------------------------- metadata


def meta_of(html: str, url: str | None = None) -> PageMeta:
    return read_meta(LexborHTMLParser(html), url)


def test_meta_of_the_article_page() -> None:
    _, meta = extract(ARTICLE, url=URL)
    assert (
        meta
        == PageMeta(
            title="Storm floods coastal towns",
            published="2019-11-20T08:15+01:00",
            published_source="jsonld",
            published_precision="minute",
            url="https://news.example.com/world/2019/11/20/storm-floods-coastal-towns",  # relative canonical resolved
            outlet="Example News",
            authors=["Jane Doe", "John Smith"],  # @id resolved in @graph; meta author de-duplicated
            language="en-GB",
        )
    )


def test_og_title_site_suffix_removed() -> None:
    html = '<head><meta property="og:title" content="Big win for the home side - BBC Sport"></head>'
    assert meta_of(html, "https://www.bbc.co.uk/sport/football/123").title == "Big win for the home side"


def test_reuters_title_keeps_the_headline() -> None:
    html = "<head><title>U.S. sanctions Russian banks | Reuters</title></head><body><div>x</div></body>"
    meta = meta_of(html, "https://www.reuters.com/article/us-usa-russia-sanctions-idUSKBN1XT")
    assert meta.title == "U.S. sanctions Russian banks"
    assert meta.outlet is None  # a domain is not an outlet name


@pytest.mark.parametrize(
    ("title", "sites", "url", "expected"),
    [
        (
            "U.S. sanctions Russian banks | Reuters",
            [],
            "https://www.reuters.com/x",
            "U.S. sanctions Russian banks",
        ),
        ("Reuters", ["Reuters"], "https://www.reuters.com/x", "Reuters"),  # never empty, never the site alone
        ("CNN: Senate passes the bill", [], "https://edition.cnn.com/x", "Senate passes the bill"),
        (
            "Analysis: Senate passes the bill",
            ["CNN"],
            "https://edition.cnn.com/x",
            "Analysis: Senate passes the bill",
        ),
        (
            "Brexit - the deal - explained | The Guardian",
            ["The Guardian"],
            None,
            "Brexit - the deal - explained",
        ),
        (
            "Apple - Samsung trial ends - Reuters",
            [],
            "https://www.reuters.com/x",
            "Apple - Samsung trial ends",
        ),
        ("Tech | Apple - Samsung trial ends", ["Reuters"], None, "Tech | Apple - Samsung trial ends"),
        ("Storm hits coast | World | Example News", ["Example News"], None, "Storm hits coast | World"),
        ("The Washington Post | Politics today", [], "https://www.washingtonpost.com/x", "Politics today"),
        (
            "Storm hits coast | Daily Planet",
            [],
            "https://news.example.com/x",
            "Storm hits coast | Daily Planet",
        ),
    ],
)
def test_strip_site_name(title: str, sites: list[str], url: str | None, expected: str) -> None:
    assert strip_site_name(title, sites, [url] if url else []) == expected


def test_title_source_order() -> None:
    h1_and_title = "<head><title>From title | Site</title></head><body><h1>From the h1</h1></body>"
    assert meta_of(h1_and_title).title == "From the h1"
    assert meta_of("<head><title>Only a title</title></head>").title == "Only a title"
    og = '<head><meta property="og:title" content="From og"><title>From title</title></head><body><h1>From h1</h1>'
    assert meta_of(og).title == "From og"


def test_truncated_jsonld_headline_takes_the_full_one() -> None:
    html = (
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"A very long headline that was cut..."}'
        '</script><meta property="og:title" content="A very long headline that was cut at 110 characters">'
    )
    assert meta_of(html).title == "A very long headline that was cut at 110 characters"


def test_jsonld_article_among_other_objects_and_entities() -> None:
    html = """<script type="application/ld+json">[{"@type":"BreadcrumbList","name":"Home"},
      {"@type":"ReportageNewsArticle","headline":"Fish &amp; chips tax","datePublished":"2020-03-04",
       "author":"Ann Lee","publisher":{"@type":"Organization","name":"The Paper"}}]</script>
      <script type="application/ld+json">{"@type":"ItemList","itemListElement":[
      {"@type":"NewsArticle","headline":"Teaser","datePublished":"2001-01-01"}]}</script>"""
    meta = meta_of(html)
    assert (meta.title, meta.published, meta.published_precision) == ("Fish & chips tax", "2020-03-04", "day")
    assert meta.outlet == "The Paper" and meta.authors == ["Ann Lee"]


def test_broken_jsonld_falls_back_to_meta() -> None:
    html = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x",,}</script>
      <meta property="og:title" content="Og headline">
      <meta property="article:published_time" content="2019-11-20T10:35:12Z">"""
    meta = meta_of(html)
    assert meta.title == "Og headline"
    assert (meta.published, meta.published_source, meta.published_precision) == (
        "2019-11-20T10:35+00:00",
        "meta",
        "minute",
    )


def test_published_from_url_day_and_month() -> None:
    meta = meta_of("<title>t</title>", "https://example.com/news/2019/11/20/some-story/")
    assert (meta.published, meta.published_source, meta.published_precision) == ("2019-11-20", "url", "day")
    meta = meta_of("<title>t</title>", "https://example.com/2019/11/some-story.html")
    assert (meta.published, meta.published_source, meta.published_precision) == ("2019-11", "url", "month")
    assert meta_of("<title>t</title>", "https://example.com/2019/13/40/story").published is None


def test_published_from_article_header_time() -> None:
    html = """<body><ul class="latest"><li><a href="/x">Earlier story</a><time datetime="2017-05-05">5 May</time></li></ul>
      <article><header><h1>Headline</h1><time datetime="2019-11-20">20 November 2019</time></header>
      <p>Body.</p></article></body>"""
    meta = meta_of(html, "https://example.com/story")
    assert (meta.published, meta.published_source, meta.published_precision) == ("2019-11-20", "text", "day")


def test_published_from_time_after_h1_with_text_date() -> None:
    html = """<body><div class="top"><h1>Headline</h1><div class="byline">By Ann <time>November 20, 2019</time></div></div>
      <p>Body text.</p></body>"""
    meta = meta_of(html)
    assert (meta.published, meta.published_source) == ("2019-11-20", "text")


def test_no_date_from_related_links_or_the_crawl() -> None:
    html = """<body><h1>Headline</h1><p>Body text without any date.</p>
      <aside><ul><li><a href="/old">Old story <time datetime="2016-01-01T10:00:00Z">1 Jan</time></a></li></ul></aside>
      <ul><li><span itemprop="datePublished" content="2015-02-02">Feb 2</span></li></ul></body>"""
    meta = meta_of(html, "https://example.com/story-without-date")
    assert meta.published is None and meta.published_source is None and meta.published_precision is None


def test_modified_time_is_not_published() -> None:
    html = '<meta property="article:modified_time" content="2021-01-01T00:00:00Z"><meta name="date" content="2019-06-07">'
    meta = meta_of(html)
    assert (meta.published, meta.published_source) == ("2019-06-07", "meta")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-11-20T10:35:00.000Z", ("2019-11-20T10:35+00:00", "minute")),
        ("2019-11-20 10:35", ("2019-11-20T10:35", "minute")),
        ("2019-11-20T00:00:00", ("2019-11-20", "day")),  # midnight = the CMS only knew the day
        ("20191120", ("2019-11-20", "day")),
        ("Wed, 20 Nov 2019 10:35:00 GMT", ("2019-11-20T10:35+00:00", "minute")),
        ("Nov. 20, 2019", ("2019-11-20", "day")),
        ("20th November 2019", ("2019-11-20", "day")),
        ("2019-02-30", None),
        ("3016-01-01", None),
        ("yesterday", None),
    ],
)
def test_parse_date(value: str, expected: tuple[str, str] | None) -> None:
    assert parse_date(value) == expected


def test_canonical_and_og_url() -> None:
    assert meta_of('<meta property="og:url" content="https://a.example/x">', "https://b.example/y").url == (
        "https://a.example/x"
    )
    assert meta_of('<link rel="canonical" href="javascript:void(0)">', "https://b.example/y").url is None
    assert meta_of("<title>t</title>", None).url is None


def test_authors_deduplicated_and_cleaned() -> None:
    html = """<script type="application/ld+json">{"@type":"NewsArticle","author":[{"name":"Jane Doe"},
      {"name":"https://facebook.com/jane"},"jane doe"]}</script><meta name="author" content="By Tom Poe">"""
    assert meta_of(html).authors == ["Jane Doe", "Tom Poe"]


def test_outlet_fallbacks_and_language() -> None:
    meta = meta_of('<html lang="pt_BR"><head><meta name="application-name" content="Folha"></head></html>')
    assert meta.outlet == "Folha" and meta.language == "pt-BR"
    assert meta_of("<html><body></body></html>").language is None


def test_jsonld_main_entity_and_ld_json_with_parameters() -> None:
    html = """<script type="application/ld+json; charset=utf-8">{"@type":"WebPage","name":"Site page",
      "mainEntity":{"@type":"NewsArticle","headline":"Inner headline","datePublished":"2018-05-06T07:08:00Z"}}
      </script>"""
    meta = meta_of(html)
    assert (meta.title, meta.published, meta.published_source) == (
        "Inner headline",
        "2018-05-06T07:08+00:00",
        "jsonld",
    )


def test_teaser_cards_before_the_article_do_not_give_the_date() -> None:
    html = """<body><div class="rail"><ul><li><article><header><time datetime="2011-01-01">old</time></header>
      <meta itemprop="datePublished" content="2011-01-01"></article></li></ul></div>
      <main><article><header><h1>The story</h1><time datetime="2019-11-20T09:30:00+02:00">today</time></header>
      <p>Body text.</p></article></main></body>"""
    meta = meta_of(html)
    assert (meta.published, meta.published_source, meta.published_precision) == (
        "2019-11-20T09:30+02:00",
        "text",
        "minute",
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example.com/us/statements/2019/nov/18/some-claim/", "2019-11-18"),
        ("https://example.com/2019-11-20-storm-hits/", "2019-11-20"),
        ("https://example.com/a/20191120/b", "2019-11-20"),
        ("https://example.com/2019/news/2019/11/20/story", "2019-11-20"),
        ("https://example.com/article/3834/1", None),
        ("https://example.com/news/2019/1234567/", None),
    ],
)
def test_url_dates(url: str, expected: str | None) -> None:
    assert meta_of("<title>t</title>", url).published == expected


def test_published_from_a_written_byline_date() -> None:
    html = """<body><div class="kicker">immunology</div><h1>Cells That Taste Danger</h1>
      <div class="byline">By Carrie Arnold</div><div>November 15, 2019</div>
      <p>Taste and smell receptors in unexpected places, such as the gut and the airways, turn out to be part
      of the immune system's early warning network, researchers reported in a long first paragraph.</p></body>"""
    meta = meta_of(html)
    assert (meta.published, meta.published_source, meta.published_precision) == ("2019-11-15", "text", "day")


def test_no_byline_date_from_the_headline_or_the_body() -> None:
    in_title = "<body><h1>What happened on November 9, 1989</h1><p>By Ann</p></body>"
    assert meta_of(in_title).published is None
    body = (
        "<body><h1>Wall anniversary</h1><p>"
        + "The wall fell and the city changed for ever after that night. " * 5
        + "</p><p>November 9, 1989</p></body>"
    )
    assert meta_of(body).published is None  # past the first long paragraph: not a byline


# The shape of a trafeval page (rnz.de): the CMS prints the whole story, headline and all, in an
# <aside>; the page's sidebars are asides too, without an <h1>.
_STORY = [
    "Frankfurt (dpa) - For a novel about the old republic the writer received the book prize of the year.",
    "The jury praised the book as a bold and funny portrait of a country that no longer exists today.",
]
_ASIDE_PAGE = (
    "<html><body><main>"
    '<aside class="share"><a href="/fb">Share on Facebook</a> Most read: the ferry timetable changes again</aside>'
    '<aside class="direct-content"><section><h1>Writer wins the book prize</h1>'
    + "".join(f"<p>{p}</p>" for p in _STORY)
    + '</section></aside><aside class="sidebar"><p>Sidebar: our weekend tips for the whole family and more.</p></aside>'
    "</main></body></html>"
)


def test_an_aside_holding_the_pages_only_h1_holds_its_article():
    texts = [b.text for b in extract(_ASIDE_PAGE)[0]]
    assert all(p in texts for p in _STORY)
    assert not any("Sidebar" in t or "Share on Facebook" in t for t in texts)


def test_with_two_h1s_an_aside_is_still_a_sidebar():
    page = _ASIDE_PAGE.replace("<main>", "<main><h1>Site name</h1>")
    texts = [b.text for b in extract(page)[0]]
    assert not any(p in texts for p in _STORY)


# Song lyrics: the article the extractor keeps, though no line of it reads as prose (short lines, no
# sentence punctuation). Hand-made, after the lyrics and results-list pages trafeval has.
_LYRICS = [
    "Under the bridge where the river bends",
    "We wrote our names in the winter sand",
    "Every light on the harbour road",
    "Told us the way that the ferry goes",
    "Hold on hold on to the evening tide",
    "Hold on hold on I will be by your side",
    "Morning will come and the gulls will call",
    "Nothing we lost was lost at all",
]


def _lyrics_page(lines: list[str]) -> str:
    return (
        "<html><head><title>Harbour Song lyrics</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/artists">Artists</a></nav>'
        "<article><h1>Harbour Song</h1>" + "".join(f"<p>{line}</p>" for line in lines) + "</article>"
        "<footer>Copyright the lyrics site</footer></body></html>"
    )


def test_an_extraction_with_no_prose_line_is_kept_and_flagged_when_it_holds_enough_text():
    from cleaner import clean_html

    (record,) = clean_html(_lyrics_page(_LYRICS))
    assert all(line in record["text"] for line in _LYRICS)
    assert "extract/no-prose" in record["flags"]
    assert "Copyright" not in record["text"] and "Artists" not in record["text"]


def test_an_extraction_with_no_prose_and_little_text_is_still_no_article():
    from cleaner import PageRejected, clean_html

    with pytest.raises(PageRejected, match="no-article"):
        clean_html(_lyrics_page(_LYRICS[:2]))
