"""Language of a body, deterministic: langdetect seeded, on the first characters only.

Measured on the 183 articles of the development-set dumps: unseeded langdetect answers
differently between runs on short texts; the first 500 characters and 3 trials (the
default is 7) give the same answer as 1,000 characters and 7 trials for every article,
in half the time (0.26 s against 0.53 s).

Plainly English text skips langdetect: when a quarter of the first 500 characters'
words are English function words, the answer is "en". On 750 samples of the development
set's articles (dumps and HTML, from the start and from the middle) the 80 function words
took 633 of the 671 English ones (the first 43 took 593) and no other: the highest share
in a non-English sample is 0.12. It saves 1-2 ms an article (tests/test_language.py).
"""

from __future__ import annotations

import contextlib
import heapq
import json
import os
from functools import cache
from typing import Any

from cleaner.cache import regex

SAMPLE_CHARS = 500
TRIALS = 3
WORD = regex(r"\w+")
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
        # added later: frequent English words that are not common words of another Latin-script
        # language (so not "we", Dutch; "her", Turkish; "most", Hungarian; "under", Scandinavian)
        "there",
        "when",
        "what",
        "than",
        "into",
        "could",
        "should",
        "out",
        "up",
        "she",
        "him",
        "them",
        "our",
        "you",
        "your",
        "while",
        "where",
        "because",
        "these",
        "those",
        "such",
        "other",
        "some",
        "any",
        "can",
        "may",
        "against",
        "between",
        "during",
        "through",
        "since",
        "before",
        "still",
        "only",
        "being",
        "did",
        "does",
    ]
)
ENGLISH_SHARE = 0.25
ENGLISH_MIN_WORDS = 20


@cache
def _early_stop_class() -> type:
    """EarlyStopDetector, made when a text first needs langdetect: a plainly English run
    (explain of an English page, most one-page runs) never imports it (~10 ms)."""
    import langdetect.detector_factory as factory
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    factory.DetectorFactory.seed = 0  # every detector re-seeds from this: no dependence on call order

    class EarlyStopDetector(Detector):
        """langdetect's detector, stopping once the trials left cannot change the answer.

        The answer is the language with the highest probability averaged over the trials; each
        trial adds at most 1/n_trial to any language. When the leader's lead is larger than
        what the trials left can add, they are skipped. The trials that do run draw the same
        seeded numbers, so the answer is langdetect's own (tests/test_language.py compares
        them). Measured: most articles are settled after two of the three trials.
        """

        def _detect_block(self) -> None:  # langdetect's loop, plus the stop at the end
            self.cleaning_text()
            ngrams = self._extract_ngrams()
            if not ngrams:
                raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
            self.langprob = [0.0] * len(self.langlist)
            self.random.seed(self.seed)
            for trial in range(self.n_trial):
                prob = self._init_probability()
                alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
                i = 0
                while True:
                    self._update_lang_prob(prob, self.random.choice(ngrams), alpha)
                    if i % 5 == 0 and (
                        self._normalize_prob(prob) > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT
                    ):
                        break
                    i += 1
                for j in range(len(self.langprob)):
                    self.langprob[j] += prob[j] / self.n_trial
                left = self.n_trial - trial - 1
                if left and len(self.langprob) > 1:
                    first, second = heapq.nlargest(2, self.langprob)
                    if first - second > (left + 1e-6) / self.n_trial:
                        return

    return EarlyStopDetector


def __getattr__(name: str) -> Any:
    """`EarlyStopDetector`, made on first use (the tests compare it with langdetect's own)."""
    if name == "EarlyStopDetector":
        return _early_stop_class()
    raise AttributeError(name)


class _Probabilities:
    """langdetect's n-gram → probability-per-language table, each row made when first read.

    langdetect builds all 87,598 rows of 55 floats up front (0.44 s of its 0.54 s load);
    a run reads a few thousand. A row holds exactly what langdetect's add_profile puts
    there (tests/test_language.py compares every row), and `in` answers as its dict does.
    """

    def __init__(self, freqs: list[dict[str, int]], n_words: list[list[int]], width: int) -> None:
        self._width = width  # langdetect's rows are as long as its folder has files
        self._freqs = freqs
        self._n_words = n_words
        self._known: set[str] = set().union(*self._freqs)
        self._rows: dict[str, list[float]] = {}

    def __contains__(self, word: object) -> bool:
        return word in self._known

    def __len__(self) -> int:
        return len(self._known)

    def __getitem__(self, word: str) -> list[float]:
        row = self._rows.get(word)
        if row is None:
            if word not in self._known:
                raise KeyError(word)
            row = [0.0] * self._width
            length = len(word)
            if 1 <= length <= 3:
                for index, freq in enumerate(self._freqs):
                    count = freq.get(word)
                    if count is not None:
                        row[index] = 1.0 * count / self._n_words[index][length - 1]
            self._rows[word] = row
        return row


def _load_factory() -> Any:
    """langdetect's factory over its bundled profiles, read as its load_profile reads them
    (same files, same order, so the same language indices), with rows made on demand."""
    import langdetect.detector_factory as factory

    _early_stop_class()  # the seed is set
    width, names, freqs, n_words = _profiles(factory.PROFILES_DIRECTORY)
    loaded = factory.DetectorFactory()
    loaded.langlist = names
    loaded.word_lang_prob_map = _Probabilities(freqs, n_words, width)
    return loaded


_PROFILES_KIND = "langdetect-profiles"


def _profiles(directory: str) -> tuple[int, list[str], list[dict[str, int]], list[list[int]]]:
    """The folder's file count and each profile's name, n-gram counts and word totals, in
    os.listdir's order (langdetect's). Parsing the 55 JSON files costs ~50 ms a run; what they
    hold is remembered in the user's cache folder (cleaner.cache), keyed by every file's name,
    size and mtime: a changed or reinstalled langdetect is read afresh."""
    import marshal

    from cleaner import cache

    names = os.listdir(directory)
    stamps = []
    for name in names:
        try:
            stat = os.stat(os.path.join(directory, name))
            stamps.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            stamps.append(name)
    key = cache.digest(_PROFILES_KIND, directory, *stamps)
    value = cache.recall(_PROFILES_KIND, key)
    if value:
        try:
            loaded = marshal.loads(value)
            if isinstance(loaded, tuple) and len(loaded) == 4 and loaded[0] == len(names):
                return loaded
        except (ValueError, EOFError, TypeError):
            pass
    profiles = []
    for name in names:
        path = os.path.join(directory, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as handle:
            profiles.append(json.load(handle))
    found = (
        len(names),
        [p["name"] for p in profiles],
        [p["freq"] for p in profiles],
        [p["n_words"] for p in profiles],
    )
    with contextlib.suppress(ValueError):  # a value marshal cannot write: read from the files next time too
        cache.remember(_PROFILES_KIND, key, marshal.dumps(found))
    return found


def warm() -> None:
    """Load langdetect's 55 profiles (~0.1 s), once per process: only a text that is not
    plainly English needs them."""
    import langdetect.detector_factory as factory

    if factory._factory is None:
        factory._factory = _load_factory()


def looks_english(sample: str) -> bool:
    """A quarter or more of the words are English function words: langdetect would say "en"."""
    words = WORD.findall(sample.lower())
    return len(words) >= ENGLISH_MIN_WORDS and sum(
        w in ENGLISH_FUNCTION_WORDS for w in words
    ) >= ENGLISH_SHARE * len(words)


def detect_language(text: str) -> str | None:
    sample = text[:SAMPLE_CHARS]
    if sum(map(str.isalpha, sample)) < 20:
        return None
    if looks_english(sample):
        return "en"
    import langdetect.detector_factory as factory
    from langdetect.lang_detect_exception import LangDetectException

    warm()
    assert factory._factory is not None
    detector = _early_stop_class()(factory._factory)
    detector.n_trial = TRIALS
    detector.append(sample)
    try:
        return str(detector.detect())
    except LangDetectException:
        return None
