"""Property tests (hypothesis) of the text path and the HTML path of `clean_page`.

The oracle is the page's own account of itself: every line (an HTML page's lines are its
extracted blocks) ends with a fate (`PageResult.lines`), and the records must agree with
the fates: kept lines are the record's paragraphs, removed ones its `removed` entries, both
with valid line numbers, and no kept text that the input did not hold.

Profiles: `ci` (the default, what `make test` runs): 11,000 examples in all, derandomised, so a
run is reproducible and its time steady; `explore`: ten times as many, random (run it by hand:
HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest tests/test_properties.py);
`quick`: a tenth, for editing.
"""

from __future__ import annotations

import os
import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.inputs.decode import normalize_text
from cleaner.model import Page
from cleaner.run.page import Cleaner, PageResult, Settings, clean_page
from cleaner.text import squash

CLEANER = Cleaner.load(Settings())
_COMMON = {"deadline": None, "database": None, "suppress_health_check": list(HealthCheck)}
settings.register_profile("ci", max_examples=500, derandomize=True, **_COMMON)
settings.register_profile("explore", max_examples=5000, **_COMMON)
settings.register_profile("quick", max_examples=50, **_COMMON)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(share: int) -> settings:
    """`share` times the profile's count: the ci profile runs 22 shares, 11,000 examples."""
    return settings(PROFILE, max_examples=share * PROFILE.max_examples)


REJECT_REASONS = {"empty", "binary", "undecodable", "no-article", "too-large"}
KEPT = {"body", "subhead", "headline", "standfirst", "dateline"}

# ---------------------------------------------------------------- news-like text

WORDS = [
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "was", "as", "by", "at",
    "it", "from", "his", "he", "said", "has", "have", "are", "be", "an", "this", "which", "government",
    "minister", "city", "council", "police", "officials", "people", "year", "week", "report",
    "president", "country", "talks", "agreement", "company", "market", "prices", "water", "energy",
    "school", "hospital", "election", "vote", "army", "border", "aid", "court", "Moscow", "Berlin",
    "Paris", "Aleppo", "Syria", "Russia", "Europe", "Lavrov", "Merkel", "Reuters", "AFP", "Monday",
    "Tuesday", "Friday",
]  # fmt: skip
MENU = [
    "Home", "News", "Sport", "Weather", "World", "Business", "Contact", "Us", "About", "Share",
    "Tweet", "Print", "Email", "Comments", "Login", "Subscribe", "Newsletter", "Menu", "Search",
    "Video", "Live", "Opinion", "Related", "Read", "more", "Advertisement", "Follow", "us",
]  # fmt: skip
MONTHS = ["January", "March", "May", "December", "Dec.", "Mar", "04"]


CHROME = [
    "Daesh, Sergei Lavrov, Aleppo, Syria", "Battle Against Daesh in Syria (180)", "By John Smith",
    "© 2021 Example News. All rights reserved.", "[END]", "Read more: Talks resume in Geneva", "12 Comments",
    "Listen Live", "Get short URL", "Share this article", "Sign up for our newsletter", "Advertisement",
    "Home › World › Europe", "Follow us on Twitter", "Posted in World | 3 Comments", "Leave a Reply",
]  # fmt: skip
PLACES = ["MOSCOW", "HAMBURG/Germany/", "WASHINGTON", "Beirut", "PARIS", "BERLIN (dpa)"]
AGENCIES = ["(Sputnik)", "(Reuters)", "/TASS/.", "(AP)", ""]
PADS = ["", " ", "\t", "\u00a0", "\u200b", "\u3000", "  ", "\u00ad"]


def _pool(seed: int, size: int) -> list[str]:
    """Realistic lines drawn once (hypothesis then draws from the pool: its own draws are slow,
    about 5 ms a page when each word was one, more than the cleaning itself)."""
    rnd = random.Random(seed)

    def sentence() -> str:
        text = " ".join(rnd.choices(WORDS, k=rnd.randint(3, 40)))
        return text[:1].upper() + text[1:] + rnd.choice([".", ".", ".", "?", "!", ":", "", ".”", "…"])

    def date() -> str:
        day, year, month = rnd.randint(0, 35), rnd.randint(1990, 3020), rnd.choice(MONTHS)
        return rnd.choice(
            [
                f"{month} {day}, {year}",
                f"{day} {month} {year}",
                f"{day:02d}.{rnd.randint(0, 13):02d}.{year}",
                f"{rnd.randint(0, 25):02d}:{rnd.randint(0, 61):02d} GMT{day:02d} {month} {year}",
                f"Updated: {month} {day}, {year} {rnd.randint(1, 12)}:30 pm",
                f"{rnd.randint(1, 59)} minutes ago",
            ]
        )

    def line() -> str:
        kind = rnd.randint(0, 11)
        if kind <= 4:
            return sentence()
        if kind == 5:
            return " ".join(rnd.choices(MENU, k=rnd.randint(1, 4)))
        if kind == 6:
            return date()
        if kind == 7:
            sep = rnd.choice([" — ", " - ", ", ", " "])
            return f"{rnd.choice(PLACES)}{sep}{date()} {rnd.choice(AGENCIES)}{sep}{sentence()}"
        if kind == 8:  # a headline, perhaps with a date after it
            words = " ".join(w.capitalize() for w in rnd.choices(WORDS, k=rnd.randint(4, 14)))
            return words + rnd.choice(["", f", {date()}", f" - Reuters - {date()}"])
        if kind == 9:
            return rnd.choice(CHROME)
        if kind == 10:
            return f"{rnd.choice(PADS)}{sentence()}{rnd.choice(PADS)}"
        return sentence() + " " + sentence()

    return [line() for _ in range(size)]


LINES = _pool(1, 4000)


def pool(items: list) -> st.SearchStrategy:
    """One of `items` (sampled_from would print the whole pool in every failure report)."""
    return st.integers(0, len(items) - 1).map(lambda i: items[i])


NEWS_LINE = st.one_of(  # mostly realistic lines, some blank, some anything at all
    pool(LINES), pool(LINES), pool(LINES), st.just(""),
    st.text(max_size=60).map(lambda t: t.replace("\n", " ")),
)  # fmt: skip
NEWS_PAGE = st.builds(
    lambda lines, newline: newline.join(lines),
    st.lists(NEWS_LINE, max_size=30),
    st.sampled_from(["\n", "\n", "\r\n"]),
)
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=400)


# ---------------------------------------------------------------- the oracle


def clean_text(text: str) -> PageResult:
    data = text.encode("utf-8")
    return clean_page(Page(path="p.txt", data=data, sha256="0" * 64, format="text"), CLEANER)


def line_count(result: PageResult) -> int:
    """Lines a record may name: the decoded page's lines (a dump), or the extracted blocks (HTML)."""
    assert result.page.text is not None
    if result.page.format == "html":
        return len(result.lines)
    return len(result.page.text.split("\n"))


def check_accounting(result: PageResult) -> None:
    """Every line kept or removed (and said so in the records); valid line numbers."""
    if result.reject is not None:
        assert result.reject["reason"] in REJECT_REASONS, result.reject
        assert not result.records
        if result.reject["reason"] == "no-article":
            assert all(ln.removed for ln in result.lines if ln.text), "a line left with no fate"
        return
    assert result.records
    count = line_count(result)
    lines = {ln.number: ln for ln in result.lines}
    assert len(lines) == len(result.lines) and all(1 <= n <= count for n in lines)
    kept_numbers, removed = set(), {}
    for record in result.records:
        source = record["source"]
        assert 1 <= source["lines"][0] <= source["lines"][1] <= count
        paragraphs = record["text"].split("\n\n") if record["text"] else []
        assert len(paragraphs) == len(source["paragraphs"])
        for number, text in zip(source["paragraphs"], paragraphs, strict=True):
            line = lines[number]
            assert line.fate in ("body", "subhead") and line.text == text
            kept_numbers.add(number)
        for entry in record["removed"]:
            assert entry["line"] in lines and entry["line"] not in removed
            assert entry["rule"] and entry["category"] and entry["text"] == lines[entry["line"]].text
            removed[entry["line"]] = entry["rule"]
    for line in result.lines:
        if not line.text:
            continue
        if line.removed:
            assert removed.get(line.number) == line.rule, f"line {line.number} removed but not recorded"
        else:
            assert line.fate in KEPT, (line.number, line.fate)
            if line.fate in ("body", "subhead"):
                assert line.number in kept_numbers, f"line {line.number} kept but in no record"
    assert set(removed) <= {ln.number for ln in result.lines if ln.removed}


def check_text_invents_nothing(result: PageResult) -> None:
    """A kept line is its input line (white space squashed), or a part of it: the dateline strip
    takes a prefix off, the end-marker rule a suffix. So each paragraph is a substring of its line."""
    if result.reject is not None:
        return
    assert result.page.text is not None
    source = result.page.text.split("\n")
    for record in result.records:
        paragraphs = record["text"].split("\n\n") if record["text"] else []
        for number, text in zip(record["source"]["paragraphs"], paragraphs, strict=True):
            assert text and text in squash(source[number - 1])


# ---------------------------------------------------------------- text path


@examples(7)
@given(NEWS_PAGE)
def test_text_pages_never_raise_and_every_line_is_accounted_for(text: str) -> None:
    result = clean_text(text)
    check_accounting(result)
    check_text_invents_nothing(result)
    if result.reject is None:  # line numbers are the file's: \r\n and \r are one line break each
        assert result.page.text is not None and normalize_text(text) == result.page.text
        numbered = [n for n, t in enumerate(result.page.text.split("\n"), start=1) if t.strip()]
        assert [ln.number for ln in result.lines] == numbered


@examples(4)
@given(ANY_TEXT)
def test_arbitrary_unicode_text_never_raises(text: str) -> None:
    result = clean_text(text)
    check_accounting(result)
    check_text_invents_nothing(result)


def body_paragraphs(result: PageResult) -> list[str]:
    return [p for record in result.records for p in (record["text"].split("\n\n") if record["text"] else [])]


def within(second: list[str], first: list[str]) -> bool:
    """Each paragraph of `second` is part of a paragraph of `first` (the same, or with a prefix or
    suffix cut), in the same order, each of `first` used once at most."""
    it = iter(first)
    return all(any(p in q for q in it) for p in second)


@examples(1)
@given(NEWS_PAGE)
def test_cleaning_the_kept_text_again_keeps_only_what_was_kept(text: str) -> None:
    """Idempotence, as far as it holds by design. Cleaning the kept paragraphs again (one per
    line, blank lines between, as a dump) never brings back or invents anything: each paragraph
    of the second pass is one of the first pass, or part of one, in order; some may be dropped.
    Exact equality does not hold, by design: a dateline can be read off again ("MOSCOW — Jan 5
    (Sputnik) — Text." loses "MOSCOW —" first, then "Jan 5 (Sputnik) —"); the first paragraph
    of a page that has lost its headline can become the second pass's headline or standfirst;
    a line kept for standing among prose can be a short line at the edge of the second page;
    two equal paragraphs once apart become neighbours (a repeated caption). The third pass
    stands to the second as the second to the first."""
    first = body_paragraphs(clean_text(text))
    second = body_paragraphs(clean_text("\n\n".join(first)))
    assert within(second, first), "the second pass kept what the first did not"
    third = body_paragraphs(clean_text("\n\n".join(second)))
    assert within(third, second)


# ---------------------------------------------------------------- HTML path

TAGS = ["p", "div", "span", "b", "i", "a", "h1", "h2", "li", "ul", "article", "section", "blockquote", "td"]
TAGS += ["tr", "table", "nav", "footer", "header", "aside", "figure", "figcaption", "br", "script", "style"]
ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&eacute;", "&#233;", "&#x2014;", "&nbsp;", "&amp"]
ENTITIES += ["&#", "&bogus;", "&#8203;", "&shy;"]


BROKEN = ["<", ">", "</p", "<p", "<!--", "-->", "<div class='x", "</", "<br/>", "<![CDATA[", "&", "<<p>>"]


def _open_tags(seed: int, size: int) -> list[tuple[str, str]]:
    """(start tag with attributes, tag name) pairs, drawn once like LINES."""
    rnd = random.Random(seed)
    names = ["class", "id", "href", "style", "title", "data-x", "lang", "x", "onclick"]
    values = ["nav", "article-body", "content", "menu", "share", "x y", "", "a<b", '"', "'", "caption"]
    tags = []
    for _ in range(size):
        tag, quote = rnd.choice(TAGS), rnd.choice(['"', "'", ""])
        attrs = "".join(
            f" {rnd.choice(names)}={quote}{rnd.choice(values)}{quote}" for _ in range(rnd.randint(0, 3))
        )
        tags.append((f"<{tag}{attrs}>", tag))
    return tags


OPEN_TAGS = _open_tags(2, 600)
TEXT_BITS = [line.replace("<", "&lt;") for line in LINES[:1500]]
HTML_LEAF = st.one_of(
    pool(TEXT_BITS), pool(TEXT_BITS), st.sampled_from(ENTITIES + BROKEN),
    st.text(max_size=20),
)  # fmt: skip


def _element(parts: tuple[tuple[str, str], list[str], bool]) -> str:
    (start, tag), inner, closed = parts
    return start + "".join(inner) + (f"</{tag}>" if closed else "")


HTML_FRAGMENT = st.recursive(
    HTML_LEAF,
    lambda inner: st.tuples(pool(OPEN_TAGS), st.lists(inner, max_size=4), st.booleans()).map(_element),
    max_leaves=12,
)


def _page(body: list[str], title: str, paragraphs: list[str], framed: bool) -> str:
    if not framed:
        return "".join(body)
    tail = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article>{''.join(body)}{tail}</article></body></html>"


HTML_PAGE = st.builds(
    _page,
    st.lists(HTML_FRAGMENT, max_size=6),
    pool(TEXT_BITS),
    st.lists(pool(TEXT_BITS), max_size=5),
    st.booleans(),
)


def solid(text: str) -> str:
    """Text without white space and without the invisible characters the extractor drops
    (trafilatura keeps printable characters only: unassigned code points, format characters)."""
    return "".join(c for c in text if c.isprintable() and not c.isspace())


def text_content(html: str) -> str:
    """What the input holds as text: lexbor's reading of it, entities decoded, made solid."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.root
    return solid(normalize_text(root.text(deep=True, separator="") if root is not None else ""))


def clean_html(html: str) -> PageResult:
    data = html.encode("utf-8")
    return clean_page(Page(path="p.html", data=data, sha256="0" * 64, format="html"), CLEANER)


def in_content(word: str, content: str) -> bool:
    """The word is in the input's text, or is two pieces of it run together: trafilatura glues
    the text on both sides of a <div> holding only white space inside a quote
    (`<blockquote>a<div> </div>b</blockquote>` gives "ab"), and drops invisible characters."""
    word = solid(word)
    return word in content or any(word[:i] in content and word[i:] in content for i in range(1, len(word)))


def check_html_invents_nothing(result: PageResult) -> None:
    """Every word of every kept paragraph comes from the input's text (white space ignored on both
    sides: inline markup can split a word), never from its markup, attributes, scripts or title.
    Not the order: on broken markup trafilatura can move text
    (`<blockquote><ul><figcaption></figcaption>A.</ul>B.` gives "B.A.")."""
    if result.reject is not None:
        return
    assert result.page.text is not None
    content = text_content(result.page.text)
    for paragraph in body_paragraphs(result):
        for word in re.findall(r"\w+", paragraph):
            assert in_content(word, content), word


@examples(5)
@given(HTML_PAGE)
def test_html_pages_never_raise_and_keep_only_text_of_the_input(html: str) -> None:
    result = clean_html(html)
    check_accounting(result)
    check_html_invents_nothing(result)


@examples(4)
@given(st.text(st.sampled_from("<>/=\"' &;#!-pdivba\n"), max_size=300))
def test_markup_soup_never_raises(html: str) -> None:
    result = clean_html(html)
    check_accounting(result)
    check_html_invents_nothing(result)


WHITE = st.sampled_from([" ", "  ", "\t", "\xa0", "\u2003", "\u3000", "\r", "\x0b", "\x1c", "\u2028", "\x85"])
LINE_TEXT = st.lists(st.one_of(WHITE, st.sampled_from(["a", "é", ".", "\n", "\n\n"]), st.text(max_size=3)))


@given(LINE_TEXT.map("".join))
@examples(1)
def test_page_lines_collapse_white_space_like_split_and_join(text):
    """The shortcut for already-clean lines gives what collapsing every line would."""
    from cleaner.run.page import page_lines

    raw = [" ".join(t.split()) for t in text.split("\n")]
    last = len(raw) - 1
    expected = [
        (i + 1, t, (i == 0 or not raw[i - 1]) and (i == last or not raw[i + 1]))
        for i, t in enumerate(raw)
        if t
    ]
    assert [(ln.number, ln.text, ln.alone) for ln in page_lines(text)] == expected


# pieces of markup at the sizes that matter to the attribute-flood test: short, around
# _LONG_TAG (8,000) characters, and tags of thousands of attribute words
FLOOD_PARTS = st.lists(
    st.tuples(
        st.sampled_from(["<", ">", "a", " ", "b=1 ", "<x ", "\n", "<1 "]),
        st.sampled_from([1, 2, 50, 3000, 9000]),
    ),
    max_size=10,
)


def _flood_by_split(html: str) -> bool:
    """The attribute-flood test as first written: the page split on ">", every piece looked at."""
    for piece in html.split(">")[:-1]:
        tag = piece[piece.rfind("<") + 1 :] if "<" in piece else ""
        if len(tag) > 8000 and tag[:1].isascii() and tag[:1].isalpha() and len(tag.split()) > 1000:
            return True
    return False


@given(FLOOD_PARTS.map(lambda parts: "".join(s * n for s, n in parts)))
@examples(1)
def test_attribute_flood_found_as_by_splitting_the_page(html):
    """The search for long pieces finds a flood exactly where splitting the page on ">" does."""
    from cleaner.extract.html import _attribute_flood

    assert _attribute_flood(html) == _flood_by_split(html)


def test_attribute_flood_examples():
    from cleaner.extract.html import _attribute_flood

    flood = "<div " + "a=1 " * 2100 + ">"
    assert _attribute_flood(flood) and _attribute_flood("<p>x</p>" + flood + "<p>y</p>")
    assert not _attribute_flood("<div " + "a=1 " * 2100)  # no ">": not a tag yet
    assert not _attribute_flood("<div data-x='" + "y" * 9000 + "'>")  # long, but one word
    assert not _attribute_flood("<p>" + "word " * 3000 + "</p>")  # text, not a tag
