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

from cleaner.dates import is_crawl_timestamp
from cleaner.model import Line
from cleaner.text import capitalised_share, ends_sentence, is_prose, word_count

TOPIC_COUNT = re.compile(r"^[^.!?]{3,80}\(\d{1,6}\)$")  # "Battle Against Daesh in Syria (180)"
LINK_ITEM_MAX_WORDS = 16


def crawl_timestamps(lines: list[Line]) -> None:
    """`heur/crawl-timestamp`: a line that is only a date or time stamp (the crawl's, not the article's)."""
    for line in lines:
        if not line.removed and word_count(line.text) <= 8 and is_crawl_timestamp(line.text):
            line.remove("heur/crawl-timestamp", "crawl-timestamp")


def topic_counts(lines: list[Line]) -> None:
    """`heur/topic-count`: a short label with an article count in brackets, a topic tag."""
    for line in lines:
        if not line.removed and word_count(line.text) <= 10 and TOPIC_COUNT.match(line.text):
            line.remove("heur/topic-count", "topic-tag")


def tag_lines(lines: list[Line]) -> None:
    """`heur/tag-line`: comma-separated short names with no sentence in them ("Daesh, Sergei Lavrov, Aleppo")."""
    for line in lines:
        if line.removed or ends_sentence(line.text):
            continue
        items = [i.strip() for i in line.text.split(",")]
        if len(items) < 3 or any(not i for i in items):
            continue
        sizes = [word_count(i) for i in items]
        if max(sizes) <= 3 and sum(sizes) <= 20 and capitalised_share(line.text) < 1.01:
            # names and topics: most items start with a capital or are single words
            if sum(1 for i in items if i[:1].isupper() or word_count(i) == 1) >= len(items) - 1:
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

    def flush() -> None:
        if len(run) >= 3:
            for item in run:
                item.remove("heur/link-list", "related-articles")
        run.clear()

    previous: Line | None = None
    for line in lines:
        adjacent = previous is not None and line.number == previous.number + 1
        looks = (
            not line.removed
            and word_count(line.text) <= LINK_ITEM_MAX_WORDS
            and not ends_sentence(line.text)
            and capitalised_share(line.text) >= 0.6
        )
        if looks and (adjacent or not run):
            run.append(line)
        else:
            flush()
            if looks:
                run.append(line)
        previous = line
    flush()


HEURISTICS: list[tuple[str, Callable[[list[Line]], None]]] = [
    ("heur/crawl-timestamp", crawl_timestamps),
    ("heur/topic-count", topic_counts),
    ("heur/tag-line", tag_lines),
    ("heur/repeated-caption", repeated_captions),
    ("heur/link-list", link_lists),
]


def apply_heuristics(lines: list[Line]) -> None:
    """Run every line heuristic in a fixed order; structure-level ones live in cleaner.segment."""
    for _name, heuristic in HEURISTICS:
        heuristic(lines)


def prose_score(line: Line) -> float:
    """How much a line looks like article text: positive for prose, negative for chrome-like lines."""
    n = word_count(line.text)
    if is_prose(line.text):
        return min(float(n), 60.0)
    if n <= 3:
        return -4.0
    if ends_sentence(line.text):
        return -1.0
    return -3.0


def count_removed(lines: list[Line]) -> Counter[str]:
    return Counter(ln.rule for ln in lines if ln.removed and ln.rule)
