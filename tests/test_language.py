"""Language detection: deterministic, and the early stop gives langdetect's own answers."""

from __future__ import annotations

import random

import langdetect.detector_factory as factory
import pytest
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from cleaner.structure import language
from tests.conftest import need_shared


def answer(detector_class: type[Detector], text: str, trials: int = language.TRIALS) -> str | None:
    """What a detector of this class says about the text's sample, as detect_language asks it."""
    language.warm()
    detector = detector_class(factory._factory)
    detector.n_trial = trials
    detector.append(text[: language.SAMPLE_CHARS])
    try:
        return str(detector.detect())
    except LangDetectException:
        return None


def plain_langdetect(text: str) -> str | None:
    """langdetect as shipped, all trials run: the answer the early stop must give."""
    return answer(Detector, text)


def early_stop(text: str) -> str | None:
    return answer(language.EarlyStopDetector, text)


MIXED = [
    "Москва, 9 декабря. Президент России провёл совещание с членами правительства.",
    "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Mieten begrenzt.",
    "El gobierno anunció nuevas medidas económicas para contener la inflación este año.",
    "O presidente disse que o governo vai investir mais em educação no próximo ano.",
    "서울 12월 9일 연합뉴스 정부는 내년 예산안을 발표했다",
    "東京、12月9日。政府は来年度の予算案を発表した。",
    "Kyiv said on Friday that talks would resume. Москва ответила отказом. Berlin schwieg.",
    "ok ok ok 123 456",
    "Il presidente ha detto che il governo investirà di più nell'istruzione.",
    "Pemerintah mengumumkan langkah baru untuk menekan inflasi tahun ini.",
]


@pytest.mark.parametrize("text", MIXED)
def test_early_stop_agrees_with_langdetect(text):
    assert early_stop(text) == plain_langdetect(text)


def test_early_stop_agrees_where_trials_disagree():
    """Short word salads of several languages: trials often disagree, so a stop taken too
    early would show here (a detector run with one trial answers otherwise on some)."""
    language.warm()
    words = [w for text in MIXED for w in text.split()]
    rng = random.Random(7)
    salads = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 12))) for _ in range(400)]
    one_trial_differs = 0
    for text in salads:
        expected = plain_langdetect(text)
        assert early_stop(text) == expected, text
        one_trial_differs += answer(Detector, text, trials=1) != expected
    assert one_trial_differs >= 20


def test_early_stop_agrees_on_every_development_article():
    data = need_shared("data", "aeb")
    golds = sorted(data.glob("*.gold.txt"))
    assert len(golds) >= 150
    answers = {}
    for gold in golds:
        body = gold.read_text(encoding="utf-8")
        for start in (0, len(body) // 2):  # two samples an article: more texts, more languages
            text = body[start:]
            expected = plain_langdetect(text)
            assert early_stop(text) == expected, gold.name
            answers[expected] = answers.get(expected, 0) + 1
    assert len(answers) >= 5  # the set is not all English: the check covers the early stop's cases


def test_same_answer_every_call():
    text = MIXED[6]
    assert len({language.detect_language(text) for _ in range(5)}) == 1


def test_english_shortcut_only_takes_what_langdetect_calls_english():
    data = need_shared("data", "aeb")
    taken = english = 0
    for gold in sorted(data.glob("*.gold.txt")):
        body = gold.read_text(encoding="utf-8")
        for start in (0, len(body) // 2):
            sample = body[start : start + language.SAMPLE_CHARS]
            expected = plain_langdetect(sample)
            english += expected == "en"
            if language.looks_english(sample):
                assert expected == "en", (gold.name, sample[:80])
                taken += 1
    assert taken >= 0.8 * english  # the shortcut is worth having


@pytest.mark.parametrize("text", [t for t in MIXED if not t.startswith("Kyiv")])
def test_english_shortcut_leaves_other_languages_alone(text):
    assert not language.looks_english(text * 3)
