"""Writers: atomic, byte-deterministic JSONL (plain, gzip, zstd) and Parquet, and shards."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import zstandard

from cleaner.inputs.read import read_pages
from cleaner.inputs.records import read_records
from cleaner.model import Page
from cleaner.outputs import write
from cleaner.outputs.write import ShardedWriter, dumps, open_writer, read_parquet_records, write_jsonl
from cleaner.run.page import clean_page

from .conftest import SEEDS


@pytest.fixture(scope="module")
def corpus_records(cleaner) -> list[dict]:
    """Real corpus records (the seed pages cleaned), plus records with the awkward shapes."""
    records = []
    for page in read_pages([SEEDS]):
        assert isinstance(page, Page)
        records.extend(clean_page(page, cleaner).records)
    assert len(records) >= 5
    odd = dict(records[0], id="odd-1", dateline=None, published=None, fetched_at="2024-01-01T00:00:00Z")
    odd["text"] = 'Ünïcödé — 東京 \u2028 line sep, "quotes" and \\ backslash'
    missing = {k: v for k, v in records[1].items() if k not in ("standfirst", "site")}
    return records + [odd, missing]


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------- JSONL


@pytest.mark.parametrize("name", ["c.jsonl", "c.jsonl.gz", "c.jsonl.zst"])
def test_jsonl_compressed_by_extension_reads_back(tmp_path, corpus_records, name):
    path = tmp_path / name
    with open_writer(path) as out:
        for record in corpus_records:
            out.write(record)
    raw = path.read_bytes()
    plain = "".join(dumps(r) + "\n" for r in corpus_records).encode()
    if name.endswith(".gz"):
        assert raw[:2] == b"\x1f\x8b" and gzip.decompress(raw) == plain
    elif name.endswith(".zst"):
        assert (
            raw[:4] == b"\x28\xb5\x2f\xfd" and zstandard.ZstdDecompressor().stream_reader(raw).read() == plain
        )
    else:
        assert raw == plain
    assert list(read_records(path)) == corpus_records
    assert (out.records, out.bytes, out.sha256) == (
        len(corpus_records),
        len(raw),
        hashlib.sha256(raw).hexdigest(),
    )


def test_gzip_header_holds_no_time_and_no_file_name(tmp_path):
    path = tmp_path / "x.jsonl.gz"
    write_jsonl(path, [{"a": 1}])
    header = path.read_bytes()[:10]
    assert header[3] & 0x08 == 0  # FNAME flag: no (temporary) file name stored
    assert header[4:8] == b"\0\0\0\0"  # MTIME 0


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.jsonl", "jsonl"), ("a.jsonl.gz", "jsonl"), ("a.jsonl.zst", "jsonl"), ("a.parquet", "parquet")],
)
def test_same_records_give_the_same_bytes(tmp_path, corpus_records, name, fmt):
    outputs = []
    for run in ("one", "two"):
        path = tmp_path / run / name
        with open_writer(path, fmt) as out:
            for record in corpus_records:
                out.write(record)
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def test_write_jsonl_plain_matches_the_old_format_and_mode_follows_umask(tmp_path):
    path = tmp_path / "r.jsonl"
    write_jsonl(path, [{"b": 1, "a": "é"}, {"c": None}])
    assert path.read_bytes() == '{"b":1,"a":"é"}\n{"c":null}\n'.encode()
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600


# ---------------------------------------------------------------- Parquet


def test_parquet_reads_back_as_the_jsonl_records(tmp_path, corpus_records):
    with open_writer(tmp_path / "c.jsonl") as out:
        for record in corpus_records:
            out.write(record)
    with open_writer(tmp_path / "c.parquet", "parquet") as out:
        for record in corpus_records:
            out.write(record)
    from_jsonl = list(read_records(tmp_path / "c.jsonl"))
    assert list(read_parquet_records(tmp_path / "c.parquet")) == from_jsonl
    table = pq.read_table(tmp_path / "c.parquet")
    assert table.num_rows == len(from_jsonl)
    assert str(table.schema.field("text").type) == "string"  # plain, queryable
    assert table.column("text").to_pylist() == [r["text"] for r in from_jsonl]
    json_columns = json.loads(table.schema.metadata[b"cleaner:json_columns"])
    assert {"dateline", "source", "removed", "flags", "cleaner", "subheads"} <= set(json_columns)
    assert json.loads(table.column("source")[0].as_py()) == from_jsonl[0]["source"]


def test_parquet_round_trips_shapes_the_first_row_group_did_not_show(tmp_path, monkeypatch):
    """Keys absent, keys new, types changing, later row groups: every record comes back the same."""
    monkeypatch.setattr(write, "PARQUET_ROW_GROUP_ROWS", 2)
    records = [
        {"id": "a", "n": 1, "t": None, "nested": {"x": [1, 2]}},
        {"id": "b", "n": 2, "t": "text"},  # nested absent: not null
        {"id": "c", "n": "three", "t": "x", "nested": None, "late": True},  # n changes type, new key
        {"id": None, "n": 2**40, "t": 5, "nested": [], "_extra": "clash", "_missing": 0},
        {},
    ]
    path = tmp_path / "odd.parquet"
    with open_writer(path, "parquet") as out:
        for record in records:
            out.write(record)
    assert list(read_parquet_records(path)) == records
    assert pq.ParquetFile(path).metadata.num_row_groups == 3


def test_parquet_with_no_record_is_a_valid_empty_file(tmp_path):
    with open_writer(tmp_path / "e.parquet", "parquet"):
        pass
    assert list(read_parquet_records(tmp_path / "e.parquet")) == []
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 0


# ---------------------------------------------------------------- shards


def test_shards_hold_at_most_shard_size_records_and_are_listed_for_the_manifest(tmp_path):
    records = [{"id": i, "text": f"record {i}"} for i in range(25)]
    with ShardedWriter(tmp_path, "corpus", "jsonl", 10, "jsonl.gz") as shards:
        for record in records:
            shards.write(record)
    assert files_in(tmp_path) == ["corpus-00000.jsonl.gz", "corpus-00001.jsonl.gz", "corpus-00002.jsonl.gz"]
    assert [(f["path"], f["records"]) for f in shards.files] == [
        ("corpus-00000.jsonl.gz", 10),
        ("corpus-00001.jsonl.gz", 10),
        ("corpus-00002.jsonl.gz", 5),
    ]
    for entry in shards.files:
        data = (tmp_path / entry["path"]).read_bytes()
        assert (entry["bytes"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    back = [r for f in shards.files for r in read_records(tmp_path / f["path"])]
    assert back == records


def test_unsharded_parquet_is_one_file_and_no_record_still_writes_one(tmp_path):
    with ShardedWriter(tmp_path / "one", "corpus", "parquet", None, "parquet") as single:
        for i in range(7):
            single.write({"id": i})
    assert [(f["path"], f["records"]) for f in single.files] == [("corpus.parquet", 7)]
    with ShardedWriter(tmp_path / "none", "corpus", "jsonl", 10, "jsonl") as empty:
        pass
    assert [(f["path"], f["records"], f["bytes"]) for f in empty.files] == [("corpus-00000.jsonl", 0, 0)]
    with pytest.raises(ValueError):
        ShardedWriter(tmp_path, "corpus", "parquet", None, "jsonl.gz")


# ---------------------------------------------------------------- atomicity


@pytest.mark.parametrize("name", ["a.jsonl", "a.jsonl.gz", "a.jsonl.zst", "a.parquet"])
@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_an_interrupted_write_leaves_no_file_at_all(tmp_path, name, error):
    fmt = "parquet" if name.endswith("parquet") else "jsonl"
    with pytest.raises(error), open_writer(tmp_path / name, fmt) as out:
        for i in range(20_000):  # past one Parquet row group, so bytes did reach the disk
            out.write({"id": i, "text": "x" * 50})
        raise error()
    assert files_in(tmp_path) == []


def test_an_interrupted_sharded_write_keeps_the_finished_shards_only(tmp_path):
    with pytest.raises(RuntimeError), ShardedWriter(tmp_path, "c", "jsonl", 3, "jsonl.zst") as shards:
        for i in range(7):
            shards.write({"id": i})
        raise RuntimeError("boom")
    assert files_in(tmp_path) == ["c-00000.jsonl.zst", "c-00001.jsonl.zst"]
    assert [r["id"] for r in read_records(tmp_path / "c-00001.jsonl.zst")] == [3, 4, 5]


def test_final_file_appears_only_on_close(tmp_path):
    out = open_writer(tmp_path / "late.jsonl")
    out.write({"a": 1})
    assert not (tmp_path / "late.jsonl").exists()
    out.close()
    out.close()  # a second close does nothing
    assert files_in(tmp_path) == ["late.jsonl"]
    with pytest.raises(ValueError):
        out.write({"a": 2})


def test_a_batch_reaches_the_disk_before_any_name_and_is_renamed_in_order(tmp_path, monkeypatch):
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(Path(b).name), real_replace(a, b))[1])
    with write.publishing():
        with open_writer(tmp_path / "corpus.jsonl") as out:
            out.write({"id": "a"})
        write.write_json(tmp_path / "stats.json", {"n": 1})
        write.write_json(tmp_path / "manifest.json", {"sha256": out.sha256})
        assert not [p for p in tmp_path.iterdir() if not p.name.endswith(".tmp")]  # no final name yet
    assert events == ["fsync"] * 3 + ["corpus.jsonl", "stats.json", "manifest.json"]
    assert out.sha256 == hashlib.sha256((tmp_path / "corpus.jsonl").read_bytes()).hexdigest()
    assert out.bytes == (tmp_path / "corpus.jsonl").stat().st_size


def test_a_failed_batch_leaves_no_file_and_no_temporary_one(tmp_path):
    (tmp_path / "stats.json").write_text("old")
    with pytest.raises(RuntimeError), write.publishing():
        write.write_json(tmp_path / "stats.json", {"n": 1})
        write.write_jsonl(tmp_path / "rejects.jsonl", [{"id": 1}])
        raise RuntimeError("killed half way")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stats.json"]
    assert (tmp_path / "stats.json").read_text() == "old"


def test_a_batch_of_many_files_is_published_as_it_goes(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "_BATCH_FILES", 3)
    with write.publishing():
        for k in range(7):
            write.write_json(tmp_path / f"f{k}.json", k)
        assert sorted(p.name for p in tmp_path.glob("f*.json")) == [f"f{k}.json" for k in range(6)]
    assert json.loads((tmp_path / "f6.json").read_text()) == 6
