"""Per-site repeated paragraphs: removed only within one site and only above the threshold."""

from __future__ import annotations

import random
from typing import Any

from cleaner.corpus.repeated_lines import (
    CATEGORY,
    FLOOR,
    MIN_PAGES,
    RULE,
    SHARE,
    count_lines,
    frequent_lines,
    paragraph_key,
    remove_repeated_lines,
    strip_repeated,
)

CHROME = "Sign up for our daily newsletter to get the top stories delivered to your inbox."
_rng = random.Random(4)
_VOCAB = [
    "".join(_rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(_rng.randint(3, 8))) for _ in range(2000)
]


def body(seed: int, n: int = 4) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choices(_VOCAB, k=20)).capitalize() + "." for _ in range(n)]


def page(pid: str, site: str | None, paras: list[str], first_line: int = 10) -> dict[str, Any]:
    lines = [first_line + 2 * i for i in range(len(paras))]
    return {
        "id": pid,
        "site": site,
        "text": "\n\n".join(paras),
        "source": {"path": f"{pid}.txt", "paragraphs": lines},
        "removed": [
            {"line": 1, "text": "All news", "rule": "tass/all-news", "category": "navigation"},
            {"line": 99, "text": "Share", "rule": "g/share", "category": "share"},
        ],
    }


def site_pages(
    site: str, n: int, extra: dict[int, list[str]] | None = None, seed: int = 0
) -> list[dict[str, Any]]:
    """n pages of one site, each a distinct body; extra[i] paragraphs appended to page i."""
    extra = extra or {}
    return [page(f"{site}-{i}", site, body(seed * 1000 + i) + extra.get(i, [])) for i in range(n)]


def texts(records: list[dict[str, Any]]) -> list[str]:
    return [r["text"] for r in records]


def test_chrome_on_every_page_of_a_site_is_removed_and_recorded() -> None:
    pages = site_pages("a.com", 12, {i: [CHROME] for i in range(12)})
    out, n = remove_repeated_lines(pages)
    assert n == 12
    for before, after in zip(pages, out, strict=True):
        assert CHROME not in after["text"] and CHROME in before["text"]  # input left as it was
        paras = after["text"].split("\n\n")
        assert len(paras) == 4 == len(after["source"]["paragraphs"])
        assert after["source"]["paragraphs"] == before["source"]["paragraphs"][:4]
        mine = [r for r in after["removed"] if r["rule"] == RULE]
        assert mine == [{"line": 18, "text": CHROME, "rule": RULE, "category": CATEGORY}]
        assert [r["line"] for r in after["removed"]] == [1, 18, 99]  # kept sorted by line


def test_chrome_in_the_middle_keeps_line_numbers_aligned() -> None:
    pages = [page(f"p{i}", "b.com", body(i, 2) + [CHROME] + body(100 + i, 2)) for i in range(12)]
    out, _ = remove_repeated_lines(pages)
    assert out[0]["source"]["paragraphs"] == [10, 12, 16, 18]
    assert out[0]["text"].split("\n\n") == body(0, 2) + body(100, 2)
    assert [r["line"] for r in out[0]["removed"] if r["rule"] == RULE] == [14]


def test_threshold_floor_on_a_small_site() -> None:
    # 12 pages: max(FLOOR, SHARE * 12) = FLOOR
    assert FLOOR > SHARE * 12
    on_floor = "Related: the mayor opens the new bridge across the river this weekend."
    below = "Related: a second school closes for the winter holidays in the north."
    extra = {i: [on_floor] for i in range(FLOOR)}
    for i in range(FLOOR - 1):
        extra.setdefault(6 + i, []).append(below)
    out, n = remove_repeated_lines(site_pages("c.com", 12, extra))
    assert n == FLOOR
    assert not any(on_floor in t for t in texts(out))
    assert sum(below in t for t in texts(out)) == FLOOR - 1


def test_threshold_share_on_a_large_site() -> None:
    pages = 200
    need = int(SHARE * pages)
    assert need > FLOOR
    common, rarer = "Read more stories from the region on our homepage.", "Follow us on Telegram for updates."
    extra = {i: [common] for i in range(need)}
    for i in range(need - 1):
        extra.setdefault(100 + i, []).append(rarer)
    out, n = remove_repeated_lines(site_pages("big.com", pages, extra))
    assert n == need
    assert sum(rarer in t for t in texts(out)) == need - 1


def test_small_sites_are_not_judged() -> None:
    pages = site_pages("tiny.com", MIN_PAGES - 1, {i: [CHROME] for i in range(MIN_PAGES - 1)})
    out, n = remove_repeated_lines(pages)
    assert n == 0 and texts(out) == texts(pages)


def test_counted_per_site_not_globally() -> None:
    # a sentence carried once by each of 15 sites (syndication, one quote): news, not chrome
    quote = "\u201cWe will not accept any ultimatum,\u201d the minister told reporters on Friday."
    pages = []
    for s in range(15):
        pages += site_pages(f"s{s}.com", 10, {0: [quote]}, seed=s + 1)
    out, n = remove_repeated_lines(pages)
    assert n == 0
    assert sum(quote in t for t in texts(out)) == 15


def test_pages_without_site_are_skipped() -> None:
    pages = [page(f"n{i}", None, body(i) + [CHROME]) for i in range(30)]
    assert count_lines(pages) == {}
    out, n = remove_repeated_lines(pages)
    assert n == 0 and out == pages


def test_one_story_under_several_urls_is_counted_once() -> None:
    story = body(999, 5)
    pages = site_pages("d.com", 12) + [page(f"dup{i}", "d.com", story) for i in range(FLOOR + 2)]
    out, n = remove_repeated_lines(pages)
    assert n == 0
    assert all(t == "\n\n".join(story) for t in texts(out)[12:])


def test_versions_of_one_story_under_one_headline_are_counted_once() -> None:
    story = body(777, 5)
    versions = []
    for v in range(FLOOR + 3):  # updated versions: one new paragraph each, same headline
        rec = page(f"v{v}", "d.com", story + body(5000 + v, 1))
        rec["headline"] = "Lavrov: talks on Aleppo to start in Geneva"
        versions.append(rec)
    out, n = remove_repeated_lines(site_pages("d.com", 12) + versions)
    assert n == 0
    # the same paragraphs on pages with different headlines are chrome
    for v, rec in enumerate(versions):
        rec["headline"] = f"Story number {v}"
    out, n = remove_repeated_lines(site_pages("d.com", 12) + versions)
    assert n == 5 * len(versions)


def test_digits_do_not_hide_a_repeated_line() -> None:
    extra = {i: [f"Updated {i % 12 + 1}:{i * 7 % 60:02d} GMT, 2016-12-0{i % 9 + 1}"] for i in range(12)}
    out, n = remove_repeated_lines(site_pages("e.com", 12, extra))
    assert n == 12
    assert paragraph_key("Updated 10:32 GMT") == paragraph_key("updated  11:05 gmt")
    assert paragraph_key("Updated 10:32 GMT") != paragraph_key("Updated GMT")


def test_counts_merge_across_shards() -> None:
    pages = site_pages("f.com", 12, {i: [CHROME] for i in range(12)})
    whole = count_lines(pages)
    assert count_lines(pages[:5]) + count_lines(pages[5:]) == whole
    frequent = frequent_lines(whole)
    assert frequent == {("f.com", paragraph_key(CHROME))}
    stripped = strip_repeated(pages[3], frequent)
    assert CHROME not in stripped["text"] and stripped is not pages[3]
    untouched = page("g", "other.com", [CHROME])
    assert strip_repeated(untouched, frequent) is untouched  # another site's line is not chrome here


def test_empty_and_all_chrome_pages() -> None:
    pages = site_pages("h.com", 12, {i: [CHROME] for i in range(12)})
    pages += [page("empty", "h.com", []), page("only", "h.com", [CHROME])]
    out, n = remove_repeated_lines(pages)
    assert n == 13
    assert out[12]["text"] == "" and out[12]["source"]["paragraphs"] == []
    assert out[13]["text"] == "" and out[13]["source"]["paragraphs"] == []
    assert [r["text"] for r in out[13]["removed"] if r["rule"] == RULE] == [CHROME]
