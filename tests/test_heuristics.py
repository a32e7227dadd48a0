"""The dump path's generic heuristics and region choice, on small pages built line by line."""

from __future__ import annotations

from collections import Counter

import pytest

from cleaner.run.page import page_lines
from cleaner.strip.heuristics import apply_heuristics, consent_lines, is_comment_header, is_consent
from cleaner.strip.rules import DEFAULT_RULES, load_rules
from cleaner.structure.segment import segment

ARTICLE = "\n\n".join(
    [
        "Council approves the new bridge",
        "The city council approved the new bridge on Tuesday after a debate that lasted most of the evening.",
        "The mayor said the work would start in spring and take two years, at a cost the budget already holds.",
        "Opponents had asked for a second study of the traffic, but the motion found only three votes.",
    ]
)


RULES = load_rules(DEFAULT_RULES)


def body_of(text: str) -> str:
    """The body a dump gives through the bundled rules, the heuristics and segmentation."""
    lines = page_lines(text)
    RULES.apply(lines, None, Counter())
    apply_heuristics(lines)
    docs = segment(lines, [])
    return "\n".join(ln.text for d in docs for ln in d.lines if ln.fate == "body")


@pytest.mark.parametrize(
    "line",
    [
        "Diese Webseite verwendet Cookies. Indem Sie weiter die Seite besuchen, stimmen Sie der Verwendung von Cookies zu.",
        "We use cookies to ensure that we give you the best experience on our website.",
        "Cookie-Einstellungen",
        "Notwendige Cookies",
        "Vous pouvez également paramétrer les cookies en cliquant ci-dessous.",
    ],
)
def test_consent_lines_are_recognised(line):
    assert is_consent(line)


@pytest.mark.parametrize(
    "line",
    [
        "Cookie de Chocolate",
        "Christmas Cookies",
        "Bake the cookies for twelve minutes, until their edges turn golden brown.",
        # a long paragraph that names cookies in passing, far from any consent word
        "Among those who believe that the press provides value for society, especially local journalism that "
        "slaps politicians' hands out of the public cookie jar, the firm is a vulture that makes real vultures "
        "look good by comparison, and its owners have bought more than ninety papers in the last ten years alone.",
    ],
)
def test_recipes_and_prose_about_cookies_are_not_consent(line):
    assert not is_consent(line)


def test_a_consent_dialog_after_a_short_article_does_not_become_the_article():
    """The dialog's paragraphs read as prose and are longer than the article: its cookie lines
    weigh against it, so the article is chosen (trafeval 3069cca45542ae7c, the same shape)."""
    dialog = "\n\n".join(
        [
            "Diese Webseite verwendet Cookies. Indem Sie weiter die Seite besuchen, stimmen Sie der Verwendung von Cookies zu.",
            "Wie wir Cookies verwenden",
            "Wir können Cookies anfordern, die auf Ihrem Gerät eingestellt werden. Wir verwenden Cookies, um uns "
            "mitzuteilen, wenn Sie unsere Websites besuchen, wie Sie mit uns interagieren, Ihre Nutzererfahrung "
            "verbessern und Ihre Beziehung zu unserer Website anpassen.",
            "Klicken Sie auf die verschiedenen Kategorienüberschriften, um mehr zu erfahren. Sie können auch einige "
            "Ihrer Einstellungen ändern. Beachten Sie, dass das Blockieren einiger Arten von Cookies Auswirkungen auf "
            "Ihre Erfahrung auf unseren Websites und auf die Dienste haben kann, die wir anbieten können.",
            "Notwendige Website Cookies",
            "Diese Cookies sind unbedingt erforderlich, um Ihnen die auf unserer Webseite verfügbaren Dienste und "
            "Funktionen zur Verfügung zu stellen.",
            "Wir respektieren es voll und ganz, wenn Sie Cookies ablehnen möchten. Um zu vermeiden, dass Sie immer "
            "wieder nach Cookies gefragt werden, erlauben Sie uns bitte, einen Cookie für Ihre Einstellungen zu speichern.",
            "Wir stellen Ihnen eine Liste der von Ihrem Computer auf unserer Domain gespeicherten Daten zur Verfügung. "
            "Aus Sicherheitsgründen können wir Ihnen keine Daten anzeigen, die von anderen Domains gespeichert werden. "
            "Diese können Sie in den Sicherheitseinstellungen Ihres Browsers einsehen.",
        ]
    )
    body = body_of(ARTICLE + "\n\nImpressum\nKontakt\n\n" + dialog + "\n")
    assert "The city council approved the new bridge" in body
    assert "Opponents had asked" in body
    assert "Wir respektieren" not in body and "Wir stellen Ihnen" not in body


def test_consent_lines_go_and_nothing_else():
    lines = page_lines("Cookie de Chocolate\n\nAlle Cookies akzeptieren\n\n" + ARTICLE)
    consent_lines(lines)
    assert [ln.text for ln in lines if ln.removed] == ["Alle Cookies akzeptieren"]
    assert lines[1].rule == "heur/consent" and lines[1].category == "cookie-notice"


@pytest.mark.parametrize(
    "header",
    [
        "Schreibe einen Kommentar Antworten abbrechen",
        "Kommentar verfassen Antwort abbrechen",
        "Laisser un commentaire Annuler la réponse",
        "Deja un comentario",
        "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert.",
        "Your email address will not be published. Required fields are marked *",
        "11 Antworten zu „Sunday Thoughts“",
        "4 Kommentare",
    ],
)
def test_comment_sections_are_found_in_wordpress_translations(header):
    assert is_comment_header(header)


@pytest.mark.parametrize(
    "line",
    [
        "Kommentar",  # a kicker above a headline
        "Der Kommentar des Ministers sorgte für Empörung.",
        "Your email address will be used to confirm the order.",
    ],
)
def test_comment_header_leaves_other_lines(line):
    assert not is_comment_header(line)


def test_the_comment_form_ends_the_article():
    page = (
        ARTICLE
        + "\n\nSchreibe einen Kommentar Antworten abbrechen\n\n"
        + (
            "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert.\n\n"
            "Ich finde die Brücke viel zu teuer, und der Rat hätte die zweite Studie abwarten sollen, sagte ich schon.\n"
        )
    )
    body = body_of(page)
    assert "Opponents had asked" in body
    assert "viel zu teuer" not in body


def test_the_comment_form_ends_a_short_post_too():
    """A post shorter than COMMENT_MIN_WORDS_BEFORE: the form's heading still ends it, so the
    sidebar printed after the form (longer than the post) does not become the article."""
    post = (
        "Ich würde ja in smarte Ladesäulen investieren. Ich wundere mich, dass es sie noch nicht "
        "mit Service und einem fairen Preis an jeder Tankstelle gibt."
    )
    form = "Kommentar verfassen Antwort abbrechen\n\nDu kommentierst mit Deinem Google-Konto. ( Abmelden / Ändern )"
    sidebar = (
        "Das ist das persönliche Blog eines Hamburger Autors. Hier stehen Texte und Bilder, die eine etwas "
        "längere Halbwertszeit haben als ein Tweet, und Notizen zu Büchern, Reisen und Unternehmern, die "
        "er in den letzten zwanzig Jahren getroffen hat."
    )
    body = body_of(post + "\n\n" + form + "\n\n" + sidebar + "\n")
    assert "smarte Ladesäulen" in body and "persönliche Blog" not in body


def test_a_comment_form_above_the_article_cuts_nothing():
    body = body_of("Leave a Reply\n\n" + ARTICLE + "\n")  # no prose before it (FORM_MIN_WORDS_BEFORE)
    assert "Opponents had asked" in body


TEASERS = "\n\n".join(
    f"{title}\n\n{author}\nTuesday November 19, 2019\n{teaser}"
    for title, author, teaser in [
        (
            "Carlos Ghosn and the dark side of Japanese justice",
            "Anthony Ghosn",
            "Our family always celebrates anniversaries, but not this week, a year after our father was arrested.",
        ),
        (
            "First UK election debate was a total shambles",
            "Tom Rogan",
            "The first leaders debate on Tuesday for the general election due to be held in December was a shambles.",
        ),
        (
            "Impeachment aside, relations remain very strong",
            "Tom Rogan",
            "Beyond the partisan whirlwind of the hearings, the relationship between the two countries remains strong.",
        ),
    ]
)


def test_a_list_of_dated_teasers_after_the_article_is_cut():
    """Each teaser (title, author, date, one sentence) reads as prose: the dated runs end the
    article (aeb's Washington Examiner pages, precision 0.38 and 0.44 before)."""
    body = body_of(ARTICLE + "\n\nShare your thoughts with friends.\n\n" + TEASERS + "\n")
    assert "Opponents had asked" in body
    assert "Our family always" not in body and "partisan whirlwind" not in body


def test_dated_teasers_above_the_article_cut_nothing_of_it():
    body = body_of(TEASERS + "\n\n" + ARTICLE + "\n")
    assert "The city council approved" in body and "Opponents had asked" in body


def test_a_bare_label_after_most_of_the_prose_ends_the_article_in_a_dump():
    """ "Share this:" / "Das könnte Sie auch interessieren" after the article: what follows is
    the list it announces, even where its teasers read as prose."""
    more = "\n\n".join(
        [
            "The harbour reopened after the storm, and ferries ran again on Friday morning as planned.",
            "A new museum opens its doors to the public next month with an exhibition of local painters.",
        ]
    )
    longer = (
        ARTICLE
        + "\n\n"
        + "\n\n".join(
            [
                "The bridge will carry four lanes of traffic and a cycle path, and it replaces a ferry that has "
                "run across the river since the war, twice a day in winter and every hour in summer.",
                "Residents of the old town had asked for the bridge for decades; many of them came to the hall "
                "to follow the debate and applauded when the result was read out by the clerk of the council.",
                "The contract goes out to tender in January, and the council expects the first bids by March, "
                "after which a committee will choose the builder and report back to the full council in May.",
            ]
        )
    )
    for label in ["Share this:", "Das könnte Sie auch interessieren", "Post navigation"]:
        body = body_of(longer + f"\n\n{label}\n\n" + more + "\n")
        assert "Opponents had asked" in body, label
        assert "The harbour reopened" not in body and "new museum" not in body, label


def test_the_opening_paragraph_above_a_paywall_box_stays_with_the_article():
    """A box of short lines (prices, buttons) between the lead and the rest splits the region;
    the lead joins it (trafeval: paywalls, product tables, galleries after the first paragraph)."""
    lead = (
        "A layer of snow on a solar roof does more than cut the power it yields: its weight strains "
        "the panels and their frames, and experts warn owners against clearing it themselves, since "
        "a fall from a roof in winter is far more dangerous than a few days without power."
    )
    box = "\n\n".join(  # trafeval 19e4dbbd5778fc4f's box, shortened
        [
            "Mit top+ weiterlesen",
            "top agrar Digital",
            "Jahresabo",
            "99,00 EUR\nim 1. Jahr\ndanach 122,40 EUR / Jahr",
            "Fast 20% sparen",
            "Nur für Neukunden gültig\nTagesaktuelle Nachrichten, Preis- und Marktdaten",
            "Jetzt zuschlagen\ntop agrar Digital",
            "Monatsabo",
            "1,00 EUR\nim 1. Monat\ndanach 12,80 EUR / Monat",
            "Jederzeit kündbar",
            "Jetzt testen",
        ]
    )
    body = body_of(lead + "\n\n" + box + "\n\n" + ARTICLE + "\n")
    assert "A layer of snow" in body and "Opponents had asked" in body
    assert "EUR" not in body


def test_a_teaser_above_a_list_label_does_not_join_the_article():
    teaser = (
        "The harbour reopened after the storm, and ferries ran again on Friday morning as planned, "
        "the port authority said in a statement that also thanked the crews for their work."
    )
    body = body_of(teaser + "\n\nRelated articles\n\n" + ARTICLE + "\n")
    assert "Opponents had asked" in body and "The harbour reopened" not in body


@pytest.mark.parametrize(
    "meta",
    [
        "September 15, 2020 by Mobasir Hassan Post a Comment",
        "19.6.2007 9:40 Uhr Christoph Becker 71 Kommentare",
        "January 13, 2020 at 08:45 AM | categories: Python, Mercurial | View Comments",
    ],
)
def test_a_meta_line_under_the_headline_is_no_standfirst(meta):
    lines = page_lines(ARTICLE.replace("\n\n", f"\n\n{meta}\n\n", 1))
    apply_heuristics(lines)
    docs = segment(lines, [])
    assert docs[0].headline == "Council approves the new bridge"
    assert docs[0].standfirst != meta
    assert all(ln.text != meta or ln.removed for ln in lines)


def test_prose_far_down_the_page_past_chrome_does_not_join_the_article(monkeypatch):
    """A teaser paragraph after a stretch of chrome below the article outweighs that chrome
    only at full weight; weighed by its place on the page (PAGE_DECAY) it stays out, and the
    article's own paragraphs stay in."""
    from cleaner.structure import segment as seg

    article = "\n\n".join(
        [
            "The city council approved the new bridge on Tuesday after a debate that lasted most of the "
            "evening, with residents filling the hall and the gallery until the vote was taken.",
            "The mayor said the work would start in spring and take two years, at a cost the budget "
            "already holds, and that the old ferry would run until the first cars cross the river.",
            "Opponents had asked for a second study of the traffic, but the motion found only three "
            "votes, and the council moved on to the budget for the schools before midnight.",
        ]
    )
    menu = "\n\n".join(f"Section {i}" for i in range(100))  # a page's menu: the article is not its last line
    chrome = "\n\n".join(["Gallery", "12 photos", "Back to top"])
    teaser = (
        "The harbour reopened after the storm, and ferries ran again on Friday morning as planned, "
        "the port authority said in a statement."
    )
    page = menu + "\n\n" + article + "\n\n" + chrome + "\n\n" + teaser + "\n"
    body = body_of(page)
    assert "Opponents had asked" in body and "The city council approved" in body
    assert "The harbour reopened" not in body
    monkeypatch.setattr(seg, "PAGE_DECAY", 0.0)  # at full weight the teaser outweighs the chrome
    assert "The harbour reopened" in body_of(page)


def test_a_list_between_paragraphs_stays_in_the_body():
    """Short adjacent lines between two paragraphs (ingredients, steps) are a list, not chrome."""
    page = (
        "A simple sponge cake for a Sunday\n\n"
        "This is the cake my grandmother baked every Sunday, and it needs nothing you would not have at home.\n\n"
        "Heat the oven to 180 degrees and butter a round tin of about twenty centimetres across.\n\n"
        "2 eggs\n200 g flour\n100 ml milk\n\n"
        "Whisk the eggs with the milk until the mixture is pale, fold in the flour with a spoon, pour "
        "the batter into the tin and bake it for forty minutes, until a skewer comes out clean.\n"
    )
    body = body_of(page)
    assert "2 eggs" in body and "200 g flour" in body and "100 ml milk" in body
    lone = page.replace("2 eggs\n200 g flour\n100 ml milk", "Jetzt testen")  # a lone label is no list
    assert "Jetzt testen" not in body_of(lone)


STANDINGS = "\n".join(  # a dump prints a table one cell a line (render_dump.py)
    ["Pos.", "Team", "Played", "Points"]
    + ["1", "Harbour Town", "12", "31"]
    + ["2", "Riverside United", "12", "27"]
    + ["3", "Old Mill Rovers", "11", "24"]
    + ["4", "Castle Athletic", "12", "19"]
)


# the article, a results table one cell a line between two of its paragraphs, and its last line
TABLE_PAGE = (
    ARTICLE
    + "\n\nThe league table after the twelfth round of matches looks like this:\n\n"
    + STANDINGS
    + "\n\n"
    "Harbour Town play their next match at home on Saturday, and a draw would be enough for the title.\n"
)


def test_a_table_between_paragraphs_stays_in_the_body_one_row_a_line():
    """A results table printed one cell a line (aeb 11ea381a: a 41-row standings table, recall
    0.04 before) is rows of the article, not 20 short lines of chrome."""
    page = TABLE_PAGE
    body = body_of(page).split("\n")
    assert "Pos. Team Played Points" in body
    assert "1 Harbour Town 12 31" in body and "4 Castle Athletic 12 19" in body
    assert "a draw would be enough" in body[-1]


def test_a_table_after_the_article_does_not_join_it():
    """A table weighs nothing in the choice of the main region: a standings box in the sidebar
    below the article stays out, as it did when its cells counted as short lines."""
    page = ARTICLE + "\n\nStandings\n\n" + STANDINGS + "\n\nContact us\nImprint\nPrivacy\n"
    body = body_of(page)
    assert "Opponents had asked" in body
    assert "Harbour Town" not in body


@pytest.mark.parametrize(
    "cells, grid",
    [
        (STANDINGS.split("\n"), (4, 0, 20)),
        # a dated link list is a list of links, whatever its period: "date | title" repeats within a row
        (["12.03.2021", "Council approves the bridge", "13.03.2021", "Ferry returns"] * 3, None),
        # a numbered list of headlines: one number column only
        ([c for i in range(1, 6) for c in (str(i), f"Headline number {i}", "Read more")], None),
    ],
)
def test_grid_columns(cells, grid):
    from cleaner.strip.heuristics import NUMBER_CELL, _grid

    assert _grid("".join("n" if NUMBER_CELL.match(c) else "t" for c in cells)) == grid


@pytest.mark.parametrize(
    "notice",
    [
        "Please note: all comments are moderated and appear once an editor has read them.",
        "Ihr Kommentar wird vor der Veröffentlichung von der Redaktion moderiert.",
        "Os comentários ofensivos não serão aprovados pelo moderador.",
    ],
)
def test_a_comment_moderation_notice_ends_the_article(notice):
    """What follows a notice that comments are moderated is the comment section (aeb 11ea381a:
    precision 0.72 -> 0.99; trafeval: no must-keep snippet stands after such a notice)."""
    comment = (
        "What a great piece of reporting, I shared it with all of my neighbours on the street yesterday."
    )
    body = body_of(ARTICLE + f"\n\n{notice}\n\n{comment}\n")
    assert "Opponents had asked" in body
    assert notice not in body and "great piece of reporting" not in body


def test_an_article_about_moderation_is_no_comment_notice():
    from cleaner.strip.heuristics import is_comment_policy

    assert not is_comment_policy(
        "The platform hired two hundred moderators last year to read the comments posted under its videos."
    )
    assert is_comment_policy("Comments are moderated.")


def test_a_table_record_keeps_its_rows_and_lists_no_cell_as_removed():
    """The cells joined into a row are the row's text, not removed text: a record's `removed`
    list (and the category tally) leaves them out."""
    from cleaner import clean_text

    page = TABLE_PAGE
    (record,) = clean_text(page)
    assert "\n\n2 Riverside United 12 27\n\n" in record["text"]
    assert not any(r["category"] == "table-cell" for r in record["removed"])
    assert not any(r["text"] == "Riverside United" for r in record["removed"])
