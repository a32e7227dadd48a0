"""Line shape measures: where a sentence ends in scripts beyond Latin and CJK."""

from __future__ import annotations

import pytest

from cleaner.text import ends_sentence, ends_terminal


@pytest.mark.parametrize(
    "line",
    [
        "प्रधानमंत्री ने आज मंत्रिमंडल की बैठक की अध्यक्षता की।",  # Hindi danda
        "সরকার আজ নতুন প্রকল্পের ঘোষণা করেছে।",  # Bengali uses the same danda
        "هل ستنجح المفاوضات؟",  # Arabic question mark
        "حکومت نے نئی پالیسی کا اعلان کیا۔",  # Urdu full stop
        "国务院总理9日主持召开国务院常务会议。",
    ],
)
def test_sentence_ends_in_other_scripts(line: str) -> None:
    assert ends_sentence(line) and ends_terminal(line)


def test_a_heading_without_a_terminal_does_not_end_a_sentence() -> None:
    assert not ends_sentence("प्रधानमंत्री ने बैठक की अध्यक्षता की")
