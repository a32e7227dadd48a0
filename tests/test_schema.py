"""One schema for every record of every run: every key, one type per field, validated against
the shipped JSON Schema; Parquet with native nested columns; runs that load together in
`datasets`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cleaner.outputs.schema import arrow_schema, fields, record_schema
from cleaner.run.engine import RunOptions
from cleaner.run.page import Cleaner, Settings
from cleaner.run.runner import run

from .conftest import SEEDS, read_jsonl
from .test_read import write_warc

STORIES = [
    ("harbour", "The harbour board approved a new ferry timetable after months of complaints"),
    ("bakery", "A local bakery won the regional bread prize with a rye loaf from an old recipe"),
    ("snow", "Heavy snow closed the mountain pass on Tuesday and drivers waited at the border"),
    ("library", "The city library will open on Sundays from March with a grant from a charity"),
]


def page(slug: str, story: str, canonical: bool) -> bytes:
    paragraphs = "".join(
        f"<p>{story}, and part {k} of the report says that {' '.join(reversed(story.split()))}.</p>"
        for k in range(5)
    )
    link = f'<link rel="canonical" href="https://news.example/{slug}">' if canonical else ""
    published = '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
    return (
        f"<!DOCTYPE html><html lang=en><head><title>{story[:40]}</title>{link}{published}</head>"
        f"<body><nav><a href=/>Home</a></nav><article><h1>{story[:40]}</h1>{paragraphs}</article></body></html>"
    ).encode()


@pytest.fixture(scope="module")
def runs(tmp_path_factory, cleaner) -> dict[str, Path]:
    """An HTML folder, a WARC of the same pages (one fetched twice: a duplicate), the seeds."""
    root = tmp_path_factory.mktemp("schema")
    html = root / "html"
    html.mkdir()
    for k, (slug, story) in enumerate(STORIES):
        (html / f"{slug}.html").write_bytes(page(slug, story, canonical=k % 2 == 0))
    warc = root / "warc"
    warc.mkdir()
    fetched = [(f"https://www.news.example/{s}?utm=1", page(s, t, canonical=True)) for s, t in STORIES]
    fetched.append(("https://mirror.example/copy", fetched[0][1]))
    write_warc(fetched, warc / "crawl.warc.gz")
    outs = {name: root / f"out-{name}" for name in ("html", "warc", "seeds")}
    run([html], outs["html"], cleaner, RunOptions(workers=1))
    run([warc], outs["warc"], cleaner, RunOptions(workers=1))
    run([SEEDS], outs["seeds"], cleaner, RunOptions(workers=1))
    return outs


def every_record(runs: dict[str, Path]) -> list[dict]:
    return [
        r
        for out in runs.values()
        for name in ("corpus", "duplicates")
        for r in read_jsonl(out / f"{name}.jsonl")
    ]


def test_every_output_record_validates_against_the_schema(runs):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a dev dependency")
    validator = jsonschema.Draft202012Validator(record_schema())
    records = every_record(runs)
    assert len(records) >= 8 + 4 + 5
    for record in records:
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(record)]
        assert not errors, (record["source"]["path"], errors)
        assert list(record) == fields()  # every key, in one order


def test_url_is_where_the_page_was_fetched_and_canonical_url_the_pages_own_link(runs):
    warc = {r["url"]: r for r in read_jsonl(runs["warc"] / "corpus.jsonl")}
    harbour = warc["https://www.news.example/harbour?utm=1"]
    assert harbour["canonical_url"] == "https://news.example/harbour"
    assert harbour["fetched_at"] and harbour["source"]["input_id"].startswith("<urn:uuid:")
    (copy,) = read_jsonl(runs["warc"] / "duplicates.jsonl")
    assert copy["url"] == "https://mirror.example/copy" and copy["duplicate_of"] == harbour["id"]
    assert copy["reason"] == "exact" and copy["similarity"] == 1.0
    assert harbour["copies"] == [
        {"id": copy["id"], "path": "warc/crawl.warc.gz", "similarity": 1.0, "reason": "exact"}
    ]
    files = {Path(r["source"]["path"]).stem: r for r in read_jsonl(runs["html"] / "corpus.jsonl")}
    assert (
        files["harbour"]["url"] is None
        and files["harbour"]["canonical_url"] == "https://news.example/harbour"
    )
    assert files["bakery"]["canonical_url"] is None and files["bakery"]["fetched_at"] is None
    assert {instant(r["published"]) for r in files.values()} == {datetime(2024, 3, 5, 10, 0)}


def test_parquet_has_native_nested_columns_and_reads_back_as_the_jsonl(runs, tmp_path):
    import pyarrow.parquet as pq

    from cleaner.outputs.write import read_parquet_records

    parquet = Cleaner.load(Settings(output_format="parquet"))
    run([SEEDS], tmp_path / "p", parquet, RunOptions(workers=1))
    table = pq.read_table(tmp_path / "p" / "corpus.parquet")
    assert table.schema == arrow_schema()
    types = {f.name: str(f.type) for f in table.schema}
    assert types["dateline"].startswith("struct<raw: string")
    assert types["removed"].startswith("list<element: struct<line: int64")
    assert types["subheads"] == "list<element: string>" and types["published"] == "string"
    assert list(read_parquet_records(tmp_path / "p" / "corpus.parquet")) == read_jsonl(
        runs["seeds"] / "corpus.jsonl"
    )


def test_two_runs_and_a_duplicates_file_load_together_in_datasets(runs, tmp_path):
    """Done-when 4 of issue 13: an HTML folder's run, a WARC's run and a duplicates file in one
    load_dataset call. The features come from the schema: JSON has no type for a column that
    is null throughout a file, and pyarrow reads ISO date strings as timestamps."""
    datasets = pytest.importorskip("datasets", reason="datasets is a dev dependency; not installed here")
    from cleaner import record_features

    files = [
        str(runs["html"] / "corpus.jsonl"),
        str(runs["warc"] / "corpus.jsonl"),
        str(runs["warc"] / "duplicates.jsonl"),
    ]
    loaded = datasets.load_dataset(
        "json", data_files=files, split="train", features=record_features(), cache_dir=str(tmp_path / "cache")
    )
    expected = [r for f in files for r in read_jsonl(Path(f))]
    assert loaded.num_rows == len(expected) == 4 + 4 + 1
    assert loaded.features["published"].dtype == "string"
    got = loaded.to_list()
    for field in ("published", "fetched_at"):
        # pyarrow's JSON reader (under datasets) reads a column of ISO strings as timestamps,
        # and the features turn them back into strings in UTC: the same instant, another spelling
        assert [instant(r[field]) for r in got] == [instant(r[field]) for r in expected]
        for record in (*got, *expected):
            record.pop(field)
    assert got == expected  # every other value as written, nested fields as dicts and lists


def instant(value: str | None) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def test_parquet_outputs_of_two_runs_load_together_in_datasets_exactly(runs, tmp_path):
    """Parquet keeps its types: no features needed, and every value comes back as written."""
    datasets = pytest.importorskip("datasets", reason="datasets is a dev dependency; not installed here")
    parquet = Cleaner.load(Settings(output_format="parquet"))
    html, warc = tmp_path / "html", tmp_path / "warc"
    run([runs["html"].parent / "html"], html, parquet, RunOptions(workers=1))
    run([runs["warc"].parent / "warc"], warc, parquet, RunOptions(workers=1))
    files = [str(html / "corpus.parquet"), str(warc / "corpus.parquet"), str(warc / "duplicates.parquet")]
    loaded = datasets.load_dataset("parquet", data_files=files, split="train", cache_dir=str(tmp_path / "c"))
    expected = [
        r
        for out, name in ((runs["html"], "corpus"), (runs["warc"], "corpus"), (runs["warc"], "duplicates"))
        for r in read_jsonl(out / f"{name}.jsonl")
    ]
    assert loaded.to_list() == expected


def test_the_schema_file_is_valid_json_schema():
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a dev dependency")
    jsonschema.Draft202012Validator.check_schema(record_schema())
    assert json.loads(json.dumps(record_schema()))["required"] == fields()
