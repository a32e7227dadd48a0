"""Language of a body, deterministic: langdetect seeded, on the first characters only.

Measured on the 183 articles of the development-set dumps: unseeded langdetect answers
differently between runs on short texts; the first 500 characters and 3 trials (the
default is 7) give the same answer as 1,000 characters and 7 trials for every article,
in half the time (0.26 s against 0.53 s).
"""

from __future__ import annotations

import langdetect.detector_factory as factory
from langdetect.lang_detect_exception import LangDetectException

SAMPLE_CHARS = 500
TRIALS = 3
factory.DetectorFactory.seed = 0  # every detector re-seeds from this: no dependence on call order


def detect_language(text: str) -> str | None:
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    if factory._factory is None:
        factory.init_factory()
    assert factory._factory is not None
    detector = factory._factory.create()
    detector.n_trial = TRIALS
    detector.append(sample)
    try:
        return str(detector.detect())
    except LangDetectException:
        return None
