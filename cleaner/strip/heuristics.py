"""Generic heuristics: the chrome no rule file names, found by its shape.

Each heuristic has an id (recorded in provenance like a rule id) and removes
lines in place. They run after the rules, on lines no rule removed, and are what
makes the cleaner work on sites no rule file knows. Constants were tuned on the
seed pages and on whole-page dumps of the development set (../shared/data/aeb),
never on one site's wording.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from cleaner.cache import regex
from cleaner.dates import is_crawl_timestamp
from cleaner.model import Line
from cleaner.strip.labels import page_labels
from cleaner.text import capitalised_share, ends_sentence, is_prose, word_count

STAMP_HINT = regex(r"\d|:$")
TOPIC_COUNT = regex(r"^[^.!?]{3,80}\(\d{1,6}\)$")  # "Battle Against Daesh in Syria (180)"
LINK_ITEM_MAX_WORDS = 16


def crawl_timestamps(lines: list[Line]) -> None:
    """`heur/crawl-timestamp`: a line that is only a date or time stamp (the crawl's, not the article's)."""
    for line in lines:
        text = line.text
        if (
            line.removed or len(text) > 80 or not STAMP_HINT.search(text)
        ):  # a stamp has a digit or ends in ":"
            continue
        if word_count(text) <= 8 and is_crawl_timestamp(text):
            line.remove("heur/crawl-timestamp", "crawl-timestamp")


def topic_counts(lines: list[Line]) -> None:
    """`heur/topic-count`: a short label with an article count in brackets, a topic tag."""
    for line in lines:
        text = line.text
        if text.endswith(")") and not line.removed and word_count(text) <= 10 and TOPIC_COUNT.match(text):
            line.remove("heur/topic-count", "topic-tag")


def tag_lines(lines: list[Line]) -> None:
    """`heur/tag-line`: comma-separated short names with no sentence in them ("Daesh, Sergei Lavrov, Aleppo")."""
    for line in lines:
        if line.text.count(",") < 2 or line.removed or ends_sentence(line.text):
            continue
        items = [i.strip() for i in line.text.split(",")]
        if len(items) < 3 or any(not i for i in items):
            continue
        sizes = [word_count(i) for i in items]
        # names and topics: most items start with a capital or are single words
        named = sum(1 for i in items if i[:1].isupper() or word_count(i) == 1)
        if max(sizes) <= 3 and sum(sizes) <= 20 and named >= len(items) - 1:
            line.remove("heur/tag-line", "tag-line")


def repeated_captions(lines: list[Line]) -> None:
    """`heur/repeated-caption`: a line printed twice close together is a photo caption (both copies go)."""
    live = [ln for ln in lines if not ln.removed]
    for a, b in zip(live, live[1:], strict=False):
        if a.text == b.text and word_count(a.text) >= 3:
            a.remove("heur/repeated-caption", "photo-caption")
            b.remove("heur/repeated-caption", "photo-caption")


def link_lists(lines: list[Line]) -> None:
    """`heur/link-list`: three or more adjacent lines (no blank between) of unfinished Title Case text.

    Related-article lists and menus are printed as such runs; body paragraphs are
    separated by blank lines and end like sentences.
    """
    run: list[Line] = []
    previous_number = 0
    for line in lines:
        text = line.text
        looks = (
            line.kind == "p"  # extracted HTML lists and tables were kept by the extractor on purpose
            and not line.removed
            and word_count(text) <= LINK_ITEM_MAX_WORDS
            and not ends_sentence(text)
            and capitalised_share(text) >= 0.6
        )
        if looks:
            if run and (line.number != previous_number + 1 or line.alone):  # not adjacent: a new run
                _remove_link_run(run)
            run.append(line)
        elif run:
            _remove_link_run(run)
        previous_number = line.number
    _remove_link_run(run)


def _remove_link_run(run: list[Line]) -> None:
    """Three or more items make a list; fewer are left alone. Empties the run either way."""
    if len(run) >= 3:
        for item in run:
            item.remove("heur/link-list", "related-articles")
    run.clear()


# A comment-section header: the line starts like one (matched at the start only) or names
# the article it answers ("3 thoughts on “...”", searched only when the line has a quote mark).
COMMENT_HEADER = regex(
    r"^(\d[\d,.]*\s+(comments?|responses?|replies|reactions|kommentare?|antworten|commentaires?|comentarios?"
    r"|comentários?|commenti|reacties)\b"
    r"|(leave a (reply|comment)|post a comment|add a comment|comments are closed|comments? closed"
    r"|you must (be )?log(ged)? ?in to (post|leave) a comment|join the (conversation|discussion)"
    r"|(show|view|load|read) (all )?(\d+ )?comments|reader comments"
    # the comment form's heading in WordPress's translations ("Schreibe einen Kommentar Antworten abbrechen")
    r"|(schreibe|schreiben sie) einen kommentar|(einen |neuen )?kommentar (verfassen|schreiben|hinterlassen)"
    r"|laisser un commentaire|deja (un comentario|una respuesta)|lascia un commento|deixe (um comentário|uma resposta)"
    r"|laat een reactie achter|geef een reactie)( (cancel reply|antwort(en)? abbrechen|annuler la réponse"
    r"|cancelar respuesta|annulla risposta|cancelar resposta))?\W*$"
    # ...and its notice, printed between the comments and the form
    r"|(your email address will not be published|(deine|ihre) e-mail-adresse wird nicht veröffentlicht"
    r"|votre adresse (e-?mail|de messagerie) ne sera pas publiée|tu (dirección de )?correo electrónico no será publicad"
    r"|il tuo indirizzo (e-?mail )?non sarà pubblicato|o seu endereço de e-?mail não será publicado)"
    r"|\S+( \S+){0,5} (says|said|wrote|commented):$"
    r"|permalink\b.*\bcomments?\b|posted in [^|]*\|.*\bcomments?\b)",  # [^|]*: .*\|.* is quadratic
    re.IGNORECASE,
)
COMMENT_ON = regex(
    r"\b(responses?|comments?|replies|thoughts|antworten|kommentare?|gedanken|réponses?|commentaires?|respuestas?"
    r"|comentarios?|risposte|commenti|reacties) (to|on|zu|à|sur|a|en|para|su|op) [“\"‘'„«]",
    re.IGNORECASE,
)
QUOTE_MARKS = ("“", '"', "‘", "'", "„", "«")


def is_comment_header(text: str) -> bool:
    return bool(
        COMMENT_HEADER.match(text) or (any(q in text for q in QUOTE_MARKS) and COMMENT_ON.search(text))
    )


RELATIVE_STAMP = regex(
    r"^(\d+ (seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago|"
    r"(on )?[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4},?( at| -|,)? \d{1,2}:\d{2}\s*([ap]\.?m\.?)?)\b.{0,30}$",
    re.IGNORECASE,
)
COMMENT_MIN_WORDS_BEFORE = (
    50  # article words that must come first, so a "12 Comments" link by the headline is no cut
)


# The comment form's own heading ("Leave a Reply", "Kommentar verfassen Antwort abbrechen") and
# WordPress.com's sign-in lines under it ("Du kommentierst mit Deinem Google-Konto. ( Abmelden
# / Ändern )"): a form, not a counter, so it never stands beside a headline and cuts a short
# post too (FORM_MIN_WORDS_BEFORE). Measured on dumps: trafeval dev quarters 0.8830 -> 0.8853
# F1 (+5 must-keep snippets, -4 must-not: short blog posts whose sidebar, after the form,
# outweighed them), held-out quarter and aeb unchanged; lowering COMMENT_MIN_WORDS_BEFORE for
# every header instead cost aeb 0.9244 -> 0.9143 (at 30).
COMMENT_FORM = regex(
    r"^((leave a (reply|comment)|post a comment|add a comment|(schreibe|schreiben sie) einen kommentar"
    r"|(einen |neuen )?kommentar (verfassen|schreiben|hinterlassen)|laisser un commentaire"
    r"|deja (un comentario|una respuesta)|lascia un commento|deixe (um comentário|uma resposta)"
    r"|laat een reactie achter|geef een reactie)( (cancel reply|antwort(en)? abbrechen|annuler la réponse"
    r"|cancelar respuesta|annulla risposta|cancelar resposta))?\W*$"
    r"|you are commenting using your \S+ account|du kommentierst mit deinem \S+-konto)",
    re.IGNORECASE,
)
FORM_MIN_WORDS_BEFORE = 20

# The notice printed over or under a comment section that comments are moderated ("Your
# comment will be reviewed by the moderator", "Ihr Kommentar wartet auf Moderation", "Os
# comentários ... não serão aprovados pelo moderador"): it names comments and their
# moderation and speaks to the reader or of what will be done; it ends the article as the
# form does (FORM_MIN_WORDS_BEFORE). Measured on the raw dumps: of trafeval's 12 pages with
# such a line, no "must keep" snippet stands after it and 22 "must not" snippets do.
POLICY_MAX_WORDS = 40
POLICY_MAX_CHARS = 12 * POLICY_MAX_WORDS
POLICY_COMMENT = regex(r"comment|kommentar|coment|reactie", re.IGNORECASE)
POLICY_MODERATION = regex(
    r"moderat|moderi|modér|freigeschalte|freigegeben|aprovad|aprobad|approuv", re.IGNORECASE
)
POLICY_VOICE = regex(
    r"\b(your|you|will|are|be|ihr|ihre|deine?|werden|wird|wurde|votre|vos|seront|sont|seu|sua|serão|são"
    r"|su|sus|serán|son|vostro|saranno|sono|uw|worden)\b",
    re.IGNORECASE,
)


def _names_comments(text: str) -> bool:
    """A cheap test before POLICY_COMMENT (which most lines fail): a substring of each of its words."""
    return (
        "omment" in text
        or "oment" in text
        or "eactie" in text
        or "OMMENT" in text
        or "OMENT" in text
        or "EACTIE" in text
    )


def is_comment_policy(text: str) -> bool:
    """A notice that the comments below (or above) are moderated."""
    return bool(
        len(text) <= POLICY_MAX_CHARS  # cheap tests first: most lines are searched no further
        and _names_comments(text)
        and POLICY_COMMENT.search(text)
        and POLICY_MODERATION.search(text)
        and POLICY_VOICE.search(text)
        and word_count(text) <= POLICY_MAX_WORDS
    )


def comment_sections(lines: list[Line]) -> None:
    """`heur/comments`: from a comment-section header (or a comment's time stamp) on, the page is comments.

    Only after the article has begun (COMMENT_MIN_WORDS_BEFORE words of prose), so a
    comment counter beside the headline does not cut the page; the comment form's heading
    cuts after FORM_MIN_WORDS_BEFORE.
    """
    prose_words = 0
    for i, line in enumerate(lines):
        text = line.text
        if prose_words >= FORM_MIN_WORDS_BEFORE:
            short = word_count(text) <= 14
            header = (
                short
                and prose_words >= COMMENT_MIN_WORDS_BEFORE
                and (is_comment_header(text) or (RELATIVE_STAMP.match(text) and _prose_follows(lines, i)))
            )
            if header or (short and COMMENT_FORM.match(text)) or is_comment_policy(text):
                for rest in lines[i:]:
                    rest.remove("heur/comments", "comments-widget")
                return
        if not line.removed and is_prose(text):
            prose_words += word_count(text)


def _prose_follows(lines: list[Line], i: int) -> bool:
    nxt = next((ln for ln in lines[i + 1 : i + 3] if not ln.removed), None)
    return nxt is not None and is_prose(nxt.text)


# A consent dialog speaks of cookies and of the site, the browser or the reader's choice; a
# recipe's "Cookie de Chocolate" or "Christmas Cookies" names none of those.
COOKIE = regex(r"cookie", re.IGNORECASE)
CONSENT_CONTEXT = regex(
    r"web ?site|webseite|seite|site\b|sitio|browser|navigat|consent|accept|akzept|zustimm|einverst|einwillig"
    r"|setting|einstellung|param[eéè]tr|pr[eé]f[eé]rence|configura|polic|richtlinie|politique|pol[ií]tica|privacy|datenschutz"
    r"|privacidad|confidentialit|tracking|analytic|statisti|marketing|necessary|notwendig|erforderlich"
    r"|essen[tz]i|funktion|function|speicher|store|stock|laufzeit|duration|durée|manage|verwalt|gérer|notice"
    r"|hinweis|information|erklärung|declaration|déclaration|\buse|\busing|verwende|nutz|utilis|usamos"
    r"|utilizamos|usiamo|utilizziamo|gebruik|zulassen|allow|ablehnen|reject|refuse|decline|rechazar",
    re.IGNORECASE,
)
CONSENT_MAX_WORDS = 60  # a banner's sentence; a paragraph that mentions cookies in passing is longer
CONSENT_REACH = 60  # characters between "cookie" and the word that makes it a consent line


def is_consent(text: str) -> bool:
    """A line of a cookie-consent banner or dialog, or a link to its settings."""
    m = COOKIE.search(text)
    if not m or word_count(text) > CONSENT_MAX_WORDS:
        return False
    near = text[max(0, m.start() - CONSENT_REACH) : m.end() + CONSENT_REACH]
    return bool(CONSENT_CONTEXT.search(near))


def consent_lines(lines: list[Line]) -> None:
    """`heur/consent`: the lines of a cookie-consent banner or dialog.

    A dump prints the dialog where the page's markup holds it, mostly after the footer; its
    paragraphs read as prose and outweighed short articles in the choice of the main
    region. Removed, each such line weighs against the region around it (REMOVED_PENALTY),
    which splits the dialog from the article. Measured on trafeval's dumps: no "must keep"
    snippet stands on a line that mentions cookies (307 of 945 pages have one); cutting the
    rest of the page from a consent line on instead lost more than it gained (an embedded
    video's "accept cookies to play" placeholder stands inside articles).
    """
    for line in lines:
        text = line.text
        if not line.removed and ("ookie" in text or "OOKIE" in text) and is_consent(text):
            line.remove("heur/consent", "cookie-notice")


REPEATS_ON_PAGE = (
    3  # a short line printed this often on one page is a widget label ("Whatsapp Facebook Pint")
)


def repeated_on_page(lines: list[Line]) -> None:
    """`heur/repeated-on-page`: a short line printed three or more times on one page is a widget."""
    live = [ln for ln in lines if not ln.removed and ln.kind == "p"]
    counts = Counter(ln.text for ln in live)  # counted first: only repeated lines need a word count
    widgets = {t for t, n in counts.items() if n >= REPEATS_ON_PAGE and word_count(t) <= 8}
    if widgets:
        for line in live:
            if line.text in widgets:
                line.remove("heur/repeated-on-page", "boilerplate")


# A text dump prints a table one cell a line (render_dump.py: each <td> ends a line), so a
# standings or results table reads as hundreds of short lines that weigh against the article
# around it and then go as in-body-short or repeated-on-page ("0", "1"). A grid shows itself by
# its columns: a run of adjacent lines that splits into rows of K cells (3 <= K <= 12, three
# rows or more, a first row of labels allowed) where each column holds numbers in every row or
# in none, two columns or more hold numbers, and the row's pattern does not itself repeat at a
# shorter period ("date | title | date | title" is a dated link list, not a table).
TABLE_CELL = "table-cell"  # the category of a cell joined into its row: its text is not lost
TABLE_COLUMNS = (3, 12)
TABLE_MIN_ROWS = 3
TABLE_NUMBER_COLUMNS = 2
NUMBER_CELL = regex(r"^[#+\-–−(]?[\d.,:%/ ]*\d[\d.,:%/ ]*[a-z%)]{0,3}\.?$", re.IGNORECASE)


def _grid(kinds: str) -> tuple[int, int, int] | None:
    """(columns, first cell, cells in the grid) of the table in a run of cells, given as one
    letter a cell ("n" a number, "t" text), or None."""
    for k in range(TABLE_COLUMNS[0], TABLE_COLUMNS[1] + 1):
        for offset in range(min(k, len(kinds))):
            rows = (len(kinds) - offset) // k
            if rows < TABLE_MIN_ROWS:
                break
            header = kinds[offset : offset + k] == "t" * k
            first = offset + k if header else offset
            pattern = kinds[first : first + k]
            if len(pattern) < k or pattern.count("n") < TABLE_NUMBER_COLUMNS or "t" not in pattern:
                continue
            if any(k % d == 0 and pattern == pattern[:d] * (k // d) for d in range(1, k)):
                continue
            same = 1
            while kinds[first + same * k : first + (same + 1) * k] == pattern:
                same += 1
            if same >= TABLE_MIN_ROWS:
                return k, offset, (same + header) * k
    return None


def dump_tables(lines: list[Line]) -> None:
    """`heur/table-cell`: a table printed one cell a line becomes one line a row (kind "table").

    The row is written on its first cell's line; the other cells are removed as `table-cell`
    (left out of a record's `removed` list and of the category tally: their text is the
    row's), which weighs nothing in the choice of the main region, and so does the row: a table
    neither draws the region to it (a standings table in a sidebar) nor splits it (a results
    table between two paragraphs); inside the region its rows are body.
    """
    i = 0
    while i < len(lines):
        j = i + 1
        while j < len(lines) and lines[j].number == lines[j - 1].number + 1:
            j += 1
        run = [ln for ln in lines[i:j] if not ln.removed and ln.kind == "p"]
        if len(run) == j - i and len(run) >= TABLE_MIN_ROWS * TABLE_COLUMNS[0]:
            kinds = "".join("n" if NUMBER_CELL.match(ln.text) else "t" for ln in run)
            found = _grid(kinds) if kinds.count("n") >= TABLE_MIN_ROWS * TABLE_NUMBER_COLUMNS else None
            if found:
                k, offset, size = found
                for r in range(offset, offset + size, k):
                    row = run[r : r + k]
                    row[0].text, row[0].kind, row[0].alone = " ".join(c.text for c in row), "table", False
                    for cell in row[1:]:
                        cell.remove("heur/table-cell", TABLE_CELL)
        i = j


HEURISTICS: list[tuple[str, Callable[[list[Line]], None]]] = [
    ("heur/table-cell", dump_tables),  # first: the cells of a table are no labels, stamps or widgets
    ("heur/page-labels", page_labels),  # strip/labels.py: ad labels, photo credits, kickers, author bios
    ("heur/crawl-timestamp", crawl_timestamps),
    ("heur/topic-count", topic_counts),
    ("heur/tag-line", tag_lines),
    ("heur/repeated-caption", repeated_captions),
    ("heur/repeated-on-page", repeated_on_page),
    ("heur/link-list", link_lists),
    ("heur/comments", comment_sections),
    ("heur/consent", consent_lines),
]


# On extracted HTML these cost recall (tables and lists the extractor kept on purpose repeat
# short cells; measured on the development set's HTML): they run on text dumps only. So does
# the tag line: on extracted HTML it removed 10 lines of aeb, 9 of them gold body text, and on
# trafeval 42 lines holding 4 must-keep snippets and no must-not snippet (the extractor
# already leaves tag clouds out).
DUMP_ONLY = frozenset(
    {"heur/table-cell", "heur/repeated-on-page", "heur/link-list", "heur/tag-line", "heur/consent"}
)


def apply_heuristics(lines: list[Line], extracted: bool = False) -> None:
    """Run every line heuristic in a fixed order; structure-level ones live in cleaner.segment."""
    for name, heuristic in HEURISTICS:
        if not (extracted and name in DUMP_ONLY):
            heuristic(lines)


# a removed line still tells where the article is: a list heading or a comment header ends it;
# a newsletter box or a caption mostly stands beside it (newsletter -20, caption -4: aeb dumps
# 0.9159 -> 0.9163, trafeval dev quarters 0.8761 -> 0.8767, held-out quarter 0.8451 -> 0.8457)
REMOVED_PENALTY = {
    "read-more": -40.0,
    "related-articles": -6.0,
    "comments-widget": -40.0,
    "cookie-notice": -40.0,
    "newsletter": -20.0,
    "photo-caption": -4.0,
    TABLE_CELL: 0.0,  # its text is in its row's line (see dump_tables)
}
REMOVED_DEFAULT_PENALTY = -2.0


def prose_score(line: Line, runs_matter: bool = False) -> float:
    """How much a line looks like article text: positive for prose, negative for chrome-like lines.

    When most prose on the page stands in paragraphs of its own, a prose line inside a
    run of adjacent lines (a teaser list, a comment thread) counts against.
    """
    if line.removed:
        return REMOVED_PENALTY.get(line.category or "", REMOVED_DEFAULT_PENALTY)
    if line.kind == "table":  # a dump's table row (see dump_tables): neither prose nor chrome
        return 0.0
    n = word_count(line.text)
    if is_prose(line.text):
        if runs_matter and not line.alone:
            return -2.0
        return min(float(n), 60.0)
    if n <= 3:
        return -6.0
    if ends_sentence(line.text):
        return -1.0
    if capitalised_share(line.text) >= 0.7:  # Title Case: headlines of other stories, menus
        return -8.0
    return -4.0
