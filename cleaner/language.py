"""Language of a body, deterministic: langdetect seeded, on the first characters only.

Measured on the 183 articles of the development-set dumps: unseeded langdetect answers
differently between runs on short texts; the first 500 characters and 3 trials (the
default is 7) give the same answer as 1,000 characters and 7 trials for every article,
in half the time (0.26 s against 0.53 s).

Plainly English text skips langdetect: when a quarter of the first 500 characters'
words are English function words, the answer is "en". On the 368 articles of the
development set (dumps and HTML) that shortcut took 291 and agreed with langdetect on
every one; it saves 2.4 ms an article, a third of a text dump's whole cleaning time.
"""

from __future__ import annotations

import re

import langdetect.detector_factory as factory
from langdetect.lang_detect_exception import LangDetectException

SAMPLE_CHARS = 500
TRIALS = 3
WORD = re.compile(r"\w+")
ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "with",
        "was",
        "as",
        "by",
        "at",
        "it",
        "from",
        "his",
        "he",
        "said",
        "has",
        "have",
        "are",
        "be",
        "an",
        "this",
        "which",
        "not",
        "but",
        "its",
        "were",
        "they",
        "will",
        "who",
        "their",
        "been",
        "had",
        "more",
        "also",
        "after",
        "would",
        "one",
        "about",
    ]
)
ENGLISH_SHARE = 0.25
ENGLISH_MIN_WORDS = 20
factory.DetectorFactory.seed = 0  # every detector re-seeds from this: no dependence on call order


def warm() -> None:
    """Load langdetect's 55 profiles (~0.3 s), once per process."""
    if factory._factory is None:
        factory.init_factory()


def detect_language(text: str) -> str | None:
    sample = text[:SAMPLE_CHARS]
    if sum(map(str.isalpha, sample)) < 20:
        return None
    words = WORD.findall(sample.lower())
    if len(words) >= ENGLISH_MIN_WORDS and sum(
        w in ENGLISH_FUNCTION_WORDS for w in words
    ) >= ENGLISH_SHARE * len(words):
        return "en"
    warm()
    assert factory._factory is not None
    detector = factory._factory.create()
    detector.n_trial = TRIALS
    detector.append(sample)
    try:
        return str(detector.detect())
    except LangDetectException:
        return None
