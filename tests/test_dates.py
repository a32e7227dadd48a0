"""Dates in headlines and bylines: parse_date, split_trailing_date, is_crawl_timestamp."""

from __future__ import annotations

import pytest

from cleaner.dates import (
    MAX_YEAR,
    ParsedDate,
    TrailingDate,
    is_crawl_timestamp,
    make_date,
    month_number,
    number_value,
    parse_date,
    split_trailing_date,
)

# --- parse_date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Dec 3, 2016", "2016-12-03"),
        ("December 3, 2016", "2016-12-03"),
        ("Dec. 3, 2016", "2016-12-03"),
        ("Sept. 3, 2016", "2016-09-03"),
        ("December 3rd 2016", "2016-12-03"),
        ("3 December 2016", "2016-12-03"),
        ("3rd of December, 2016", "2016-12-03"),
        ("3. Dezember 2016", "2016-12-03"),
        ("3 de diciembre de 2016", "2016-12-03"),
        ("3 декабря 2016", "2016-12-03"),
        ("2016-12-03", "2016-12-03"),
        ("2016/12/03", "2016-12-03"),
        ("2016-12-03T10:31:00Z", "2016-12-03"),
        ("03.12.2016", "2016-12-03"),  # dotted numeric: day first
        ("12/23/2016", "2016-12-23"),  # unambiguous US order
        ("23/12/2016", "2016-12-23"),  # unambiguous European order
        ("05/05/2016", "2016-05-05"),  # both readings agree
        ("Nov 19, 2019, 10:31 pm CST", "2019-11-19"),
        ("Nov 19, 2019 at 10:31 a.m. ET", "2019-11-19"),
        ("Tue 19 Nov 2019 10.31 GMT", "2019-11-19"),
        ("Tuesday, Dec. 9, 2014", "2014-12-09"),
        ("02:36 GMT04 March 2021", "2021-03-04"),
        ("12:01 04.03.2021", "2021-03-04"),
        ("Published: 4 March 2021, 02:36", "2021-03-04"),
        ("Updated 10:31 a.m. ET Nov. 19, 2019", "2019-11-19"),
        ("Dec. 10", "--12-10"),  # no year: none guessed
        ("10 December", "--12-10"),
        ("Feb 29", "--02-29"),
    ],
)
def test_parse_date(text: str, date: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.date == date
    assert parsed.flags == []
    assert parsed.has_year == (not date.startswith("--"))


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Dec 3, 3016", "impossible-date"),
        ("Feb 30, 2016", "impossible-date"),
        ("Feb 29, 2015", "impossible-date"),
        ("Feb 30", "impossible-date"),
        ("2016-13-01", "impossible-date"),
        ("31.02.2016", "impossible-date"),
        ("13/13/2016", "impossible-date"),
        ("Dec 3, 1016", "impossible-date"),
        ("12/03/2016", "ambiguous-date"),  # 3 Dec or 12 Mar: not read
        ("03-12-2016", "ambiguous-date"),
    ],
)
def test_parse_date_flags_and_never_corrects(text: str, flag: str) -> None:
    parsed = parse_date(text)
    assert parsed == ParsedDate(None, [flag], has_year=text != "Feb 30")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2016",
        "talks on Dec. 10",
        "Russia, US military experts",
        "December",
        "December 2016",
        "Dec 3, 2016 and more",
        "12/03",
        "in 2016-12-03",
    ],
)
def test_parse_date_rejects_non_dates(text: str) -> None:
    assert parse_date(text) is None


def test_make_date_and_month_number() -> None:
    assert make_date(None, 12, 9) == ("--12-09", [])
    assert make_date(2016, 12, 9) == ("2016-12-09", [])
    assert make_date(MAX_YEAR + 1, 1, 1) == (None, ["impossible-date"])
    assert make_date(2016, 13, 1) == (None, ["impossible-date"])
    assert make_date(2016, None, 1) == (None, [])
    assert [month_number(m) for m in ("Dec.", "Sept", "dezember", "Dic", "декабря", "Nope")] == [
        12,
        9,
        12,
        12,
        12,
        None,
    ]


@pytest.mark.parametrize(
    ("printed", "month"),
    [
        ("грудня", 12),  # Ukrainian genitive
        ("Δεκεμβρίου", 12),
        ("ΔΕΚΕΜΒΡΙΟΥ", 12),  # Greek capitals drop the accent
        ("ΜΑΪΟΥ", 5),
        ("ديسمبر", 12),
        ("كانون  الأول", 12),  # Levantine, two words (spacing as printed)
        ("جانفي", 1),  # Algerian, Tunisian
        ("दिसंबर", 12),
        ("दिसम्बर", 12),
        ("12", 12),  # "12月"
        ("九", 9),  # "九月"
        ("١٢", 12),
        ("Grudnia", None),  # Polish is not listed
    ],
)
def test_month_number_other_scripts(printed: str, month: int | None) -> None:
    assert month_number(printed) == month


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("9", 9),
        ("２６", 26),  # full width (Japanese, Chinese)
        ("٩", 9),  # Arabic-Indic
        ("९", 9),  # Devanagari
        ("九", 9),
        ("十", 10),
        ("十二", 12),
        ("二十七", 27),
        ("廿一", 21),
        ("卅", 30),
        ("नौ", 9),  # Bhasha writes one to nine in words
        ("二二", None),
        ("月", None),
        ("", None),
        ("nine", None),
    ],
)
def test_number_value(printed: str, value: int | None) -> None:
    assert number_value(printed) == value


# --- split_trailing_date ------------------------------------------------------------------------

SEED_HEADLINES = [
    (
        "Lavrov: Kerry has finally presented proposals on Aleppo in line with Russia’s stance, Dec 3, 2016",
        TrailingDate(
            "Lavrov: Kerry has finally presented proposals on Aleppo in line with Russia’s stance",
            None,
            "2016-12-03",
            [],
        ),
    ),
    (
        "Kerry and Lavrov meet for fresh talks on calming Syria fighting, Deutsche Welle, Dec 3, 2016",
        TrailingDate(
            "Kerry and Lavrov meet for fresh talks on calming Syria fighting",
            "Deutsche Welle",
            "2016-12-03",
            [],
        ),
    ),
    (
        "UK ‘did not send a gram of flour’ to Aleppo: Moscow refutes criticism over aid for Syria,, Dec 3, 2016",
        TrailingDate(
            "UK ‘did not send a gram of flour’ to Aleppo: Moscow refutes criticism over aid for Syria",
            None,
            "2016-12-03",
            [],
        ),
    ),
    (
        "First Russian sapeurs come to Syria to start clearing Aleppo, Newsline, Dec 3, 3016",
        TrailingDate(
            "First Russian sapeurs come to Syria to start clearing Aleppo",
            "Newsline",
            None,
            ["impossible-date"],
        ),
    ),
    (
        "Russia, US military experts, diplomats to discuss Aleppo in Geneva on Dec. 10",
        TrailingDate("Russia, US military experts, diplomats to discuss Aleppo in Geneva on Dec. 10"),
    ),
    (
        "Syrian Army Suspends Combat Operations in Aleppo",
        TrailingDate("Syrian Army Suspends Combat Operations in Aleppo"),
    ),
]


@pytest.mark.parametrize(("headline", "want"), SEED_HEADLINES, ids=[h[:30] for h, _ in SEED_HEADLINES])
def test_split_trailing_date_seed_headlines(headline: str, want: TrailingDate) -> None:
    assert split_trailing_date(headline) == want


@pytest.mark.parametrize(
    ("headline", "want"),
    [
        (
            "Oil falls on supply fears - Dec 3, 2016",
            TrailingDate("Oil falls on supply fears", None, "2016-12-03"),
        ),
        (
            "Oil falls on supply fears | December 3, 2016",
            TrailingDate("Oil falls on supply fears", None, "2016-12-03"),
        ),
        (
            "Oil falls on supply fears (Dec 3, 2016)",
            TrailingDate("Oil falls on supply fears", None, "2016-12-03"),
        ),
        (
            "Oil falls on supply fears - BBC News - Dec 3, 2016",
            TrailingDate("Oil falls on supply fears", "BBC News", "2016-12-03"),
        ),
        (
            "Oil falls on supply fears | Reuters | 3 December 2016",
            TrailingDate("Oil falls on supply fears", "Reuters", "2016-12-03"),
        ),
        (
            "Oil falls on supply fears, The Times of India, Nov 19, 2019, 10:31 pm CST",
            TrailingDate("Oil falls on supply fears", "The Times of India", "2019-11-19"),
        ),
        (
            "Oil falls on supply fears, Tuesday, Dec 3, 2016",
            TrailingDate("Oil falls on supply fears", None, "2016-12-03"),
        ),
        (
            "Oil falls on supply fears, 12/03/2016",
            TrailingDate("Oil falls on supply fears", None, None, ["ambiguous-date"]),
        ),
        # the outlet must use the date's separator: "— Lavrov" is an attribution, kept in the headline
        (
            "Terrorists in eastern Aleppo surrounded — Lavrov, Dec 3, 2016",
            TrailingDate("Terrorists in eastern Aleppo surrounded — Lavrov", None, "2016-12-03"),
        ),
        # a clause, not an outlet name
        (
            "Kerry meets Lavrov, says talks went well, Dec 3, 2016",
            TrailingDate("Kerry meets Lavrov, says talks went well", None, "2016-12-03"),
        ),
    ],
)
def test_split_trailing_date_forms(headline: str, want: TrailingDate) -> None:
    assert split_trailing_date(headline) == want


@pytest.mark.parametrize(
    "headline",
    [
        "Talks set for Geneva, Dec. 10",  # no year: the date belongs to the sentence
        "Terrorists in eastern Aleppo surrounded — Lavrov",
        "Dec 3, 2016",  # nothing left for a headline
        "What happened on Dec 3, 2016 in Rome",
        "Syria (2016) - a year in review",
    ],
)
def test_split_trailing_date_leaves_headline_alone(headline: str) -> None:
    assert split_trailing_date(headline) == TrailingDate(headline)


# --- is_crawl_timestamp -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "02:36 GMT04 March 2021",
        "Updated at:\u00a0",
        "Updated at: ",
        "12:01 04.03.2021",
        "Published: 4 March 2021, 02:36",
        "Last updated 2 hours ago",
        "Posted on November 19, 2019 at 10:31 pm",
        "Nov 19, 2019, 10:31 pm CST",
        "Tue 19 Nov 2019 10.31 GMT",
        "2021-03-04T02:36:00+03:00",
        "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05, Tue, Nov 19, 2019",
        "Aktualisiert am 04.03.2021 um 02:36",
        "Dec 3, 2016",
    ],
)
def test_crawl_timestamp(line: str) -> None:
    assert is_crawl_timestamp(line)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "All news",
        "Listen Live",
        "On Thursday",
        "180",
        "2021",
        "Set at 9",
        "Battle Against Daesh in Syria (180)",
        "At a meeting in Rome on December 2, U.S. Secretary of State John Kerry made suggestions.",
        "Russia, US military experts, diplomats to discuss Aleppo in Geneva on Dec. 10",
        "Sputnik-Middle East",
        "Published by Reuters on Dec 3, 2016",
    ],
)
def test_not_crawl_timestamp(line: str) -> None:
    assert not is_crawl_timestamp(line)
