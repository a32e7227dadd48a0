"""The README's Python API examples run here as they are written: the documentation cannot drift."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT


def api_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The Python API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_readme_has_the_api_examples():
    assert len(api_examples()) == 4


def test_the_readme_api_examples_run():
    """The examples share one namespace, in order, as a reader would run them."""
    namespace: dict = {}
    for example in api_examples():
        if "import datasets" in example:
            pytest.importorskip("datasets", reason="datasets is a dev dependency")
        exec(compile(example, "README.md", "exec"), namespace)  # noqa: S102


def test_only_the_api_is_public():
    import cleaner

    assert sorted(cleaner.__all__) == [
        "PageRejected",
        "__version__",
        "clean_html",
        "clean_records",
        "clean_text",
        "dedup",
        "record_features",
        "record_schema",
    ]


def test_records_from_the_api_have_the_schema_of_a_run(tmp_path):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a dev dependency")
    import cleaner

    from .conftest import SEEDS

    validator = jsonschema.Draft202012Validator(cleaner.record_schema())
    for seed in sorted(SEEDS.glob("*.txt")):
        for record in cleaner.clean_text(seed.read_text(encoding="utf-8")):
            assert not list(validator.iter_errors(record))
