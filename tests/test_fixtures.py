"""`cleaner fixtures record/check` and site fixtures in `cleaner rules test`: a rule edit that
changes one stored page is caught, named (page, field, line), and accepted with --update."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main
from cleaner.tools.fixtures import FIELDS, SUFFIX

from .conftest import ROOT, SEEDS, need_shared

TASS = "000_e556c51ad6b3cfb2"  # the seed page the edit below changes
# a body paragraph of the TASS seed (in the hand labels' body); the edit makes a global rule remove it
PARAGRAPH = "Lavrov recalled that over the past days"
SHARE = "regex = '^(share("
EDITED = "regex = '^(lavrov recalled that over the past days.*|share("


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def copy_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    return rules


def edit_global_rule(rules: Path) -> str:
    """global/share-buttons (rules/global/widgets.toml) edited to also match one TASS paragraph;
    returns the original text, for the revert. Its own examples still pass."""
    path = rules / "global" / "widgets.toml"
    original = path.read_text(encoding="utf-8")
    assert original.count(SHARE) == 1
    path.write_text(original.replace(SHARE, EDITED), encoding="utf-8")
    return original


def revert(rules: Path, original: str) -> None:
    (rules / "global" / "widgets.toml").write_text(original, encoding="utf-8")


def paragraph_line() -> int:
    """The paragraph's line number in the seed file, found from the file itself."""
    lines = (SEEDS / f"{TASS}.txt").read_text(encoding="utf-8").split("\n")
    (number,) = [n for n, t in enumerate(lines, start=1) if t.strip().startswith(PARAGRAPH)]
    return number


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """The five seeds and three development-set pages (as stored there, .html.gz), copied."""
    aeb = need_shared("data", "aeb")
    folder = tmp_path / "pages"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder)
    for page in sorted(aeb.glob("*.html.gz"))[:3]:
        shutil.copy(page, folder)
    return folder


def test_record_check_edit_revert(tmp_path: Path, pages: Path) -> None:
    rules = copy_rules(tmp_path)
    into = tmp_path / "fixtures"
    code, out = cli("fixtures", "record", str(pages), "--into", str(into), "--rules", str(rules))
    assert code == 0, out
    stored = sorted(into.glob("*" + SUFFIX))
    assert len(stored) == 8 and out.count("new ") == 8
    for path in stored:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert list(doc) == ["page", "reject", "records"]
        assert (into / doc["page"]["file"]).read_bytes() == (pages / doc["page"]["file"]).read_bytes()
        assert doc["records"] and all(list(r) == list(FIELDS) for r in doc["records"])
    tass = json.loads((into / f"{TASS}{SUFFIX}").read_text(encoding="utf-8"))
    assert any(p.startswith(PARAGRAPH) for p in tass["records"][0]["body"])

    code, out = cli("fixtures", "check", str(into), "--rules", str(rules))
    assert code == 0, out
    assert "8 fixture pages: 0 differ, 0 unreadable" in out

    original = edit_global_rule(rules)
    code, out = cli("fixtures", "check", str(into), "--rules", str(rules))
    assert code == 1, out
    assert "8 fixture pages: 1 differ, 0 unreadable" in out
    assert f"{TASS}{SUFFIX}: differs" in out
    assert [p.name for p in stored if p.name in out] == [f"{TASS}{SUFFIX}"]  # that page only
    line = paragraph_line()
    assert re.search(
        rf"^  body:\n    - ¶\d+ {PARAGRAPH}.*\(now removed by global/share-buttons, line {line}\)$", out, re.M
    )
    assert re.search(rf"^  removed:\n    \+ line {line} global/share-buttons: {PARAGRAPH}", out, re.M)

    revert(rules, original)
    code, out = cli("fixtures", "check", str(into), "--rules", str(rules))
    assert code == 0, out


def test_rules_test_checks_site_fixtures(tmp_path: Path) -> None:
    """A page stored under RULES/fixtures/<site>/ is checked by `cleaner rules test`."""
    rules = copy_rules(tmp_path)
    site = rules / "fixtures" / "tass"
    code, out = cli(
        "fixtures", "record", str(SEEDS / f"{TASS}.txt"), "--into", str(site), "--rules", str(rules)
    )
    assert code == 0, out
    code, out = cli("rules", "test", "--rules", str(rules))
    assert code == 0, out
    assert "1 fixture pages, 0 failures" in out

    original = edit_global_rule(rules)
    code, out = cli("rules", "test", "--rules", str(rules))
    assert code == 1, out
    assert f"FAIL fixture tass/{TASS}{SUFFIX}: differs" in out
    assert f"+ line {paragraph_line()} global/share-buttons: {PARAGRAPH}" in out
    assert "FAIL global/" not in out  # the rule's own examples still pass: only the page catches the edit

    revert(rules, original)
    code, out = cli("rules", "test", "--rules", str(rules))
    assert code == 0, out


def test_update_rewrites_only_what_changed_and_says_which(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    into = tmp_path / "fixtures"
    assert cli("fixtures", "record", str(SEEDS), "--into", str(into), "--rules", str(rules))[0] == 0
    before = {p.name: p.read_bytes() for p in into.iterdir()}
    edit_global_rule(rules)
    code, out = cli("fixtures", "check", str(into), "--rules", str(rules), "--update")
    assert code == 0, out
    assert f"updated {into / (TASS + SUFFIX)}" in out and out.count("updated ") == 1
    after = {p.name: p.read_bytes() for p in into.iterdir()}
    assert [n for n in sorted(before) if before[n] != after[n]] == [f"{TASS}{SUFFIX}"]
    doc = json.loads(after[f"{TASS}{SUFFIX}"])
    assert {"line": paragraph_line(), "rule": "global/share-buttons"}.items() <= next(
        r for r in doc["records"][0]["removed"] if r["text"].startswith(PARAGRAPH)
    ).items()
    assert cli("fixtures", "check", str(into), "--rules", str(rules))[0] == 0


def test_record_is_stable_and_says_unchanged(tmp_path: Path) -> None:
    into = tmp_path / "fixtures"
    assert cli("fixtures", "record", str(SEEDS), "--into", str(into))[0] == 0
    first = {p.name: p.read_bytes() for p in into.iterdir()}
    code, out = cli("fixtures", "record", str(SEEDS), "--into", str(into))
    assert code == 0 and out.count("unchanged ") == 5, out
    assert {p.name: p.read_bytes() for p in into.iterdir()} == first


def test_unreadable_fixtures_exit_2_and_the_rest_are_still_checked(tmp_path: Path) -> None:
    into = tmp_path / "fixtures"
    assert cli("fixtures", "record", str(SEEDS), "--into", str(into))[0] == 0
    (into / f"bad{SUFFIX}").write_text("{not json", encoding="utf-8")
    (into / f"{TASS}.txt").unlink()
    code, out = cli("fixtures", "check", str(into))
    assert code == 2, out
    assert f"bad{SUFFIX}: unreadable: cannot read" in out
    assert f"{TASS}{SUFFIX}: unreadable: page {TASS}.txt is missing" in out
    assert "6 fixture pages: 0 differ, 2 unreadable" in out
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("fixtures", "check", str(empty))[0] == 2  # a wrong folder in CI must not pass


def test_a_page_edited_after_recording_is_a_difference(tmp_path: Path) -> None:
    into = tmp_path / "fixtures"
    assert cli("fixtures", "record", str(SEEDS / f"{TASS}.txt"), "--into", str(into))[0] == 0
    page = into / f"{TASS}.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more paragraph at the end.\n", encoding="utf-8")
    code, out = cli("fixtures", "check", str(into))
    assert code == 1 and "changed since it was recorded" in out, out


def test_pages_inside_jsonl_keep_their_url(tmp_path: Path) -> None:
    """A crawl's record is written out as its own page, its URL kept in the fixture; or referenced."""
    html = (
        "<html><head><title>Dam holds after the storm</title></head><body><article>{}</article></body></html>"
    )
    body = "".join(
        f"<p>The regional water authority said on Tuesday that paragraph {k} of the report was ready.</p>"
        for k in range(6)
    )
    crawl = tmp_path / "crawl.jsonl"
    rows = [
        {"url": "https://news.example.com/2021/03/04/dam", "html": html.format(body)},
        {"url": "https://news.example.com/2021/03/05/other", "text": "Short line\n\n" + body},
    ]
    crawl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    copies, refs = tmp_path / "copies", tmp_path / "refs"
    assert cli("fixtures", "record", str(crawl), "--into", str(copies))[0] == 0
    assert cli("fixtures", "record", str(crawl), "--into", str(refs), "--reference")[0] == 0
    assert sorted(p.name for p in copies.iterdir()) == [
        f"crawl-1{SUFFIX}",
        "crawl-1.html",
        f"crawl-2{SUFFIX}",
        "crawl-2.txt",
    ]
    for k, row in enumerate(rows, start=1):
        copied = json.loads((copies / f"crawl-{k}{SUFFIX}").read_text(encoding="utf-8"))
        referenced = json.loads((refs / f"crawl-{k}{SUFFIX}").read_text(encoding="utf-8"))
        assert copied["page"]["url"] == referenced["page"]["url"] == row["url"]
        assert referenced["page"]["file"] == "../crawl.jsonl" and referenced["page"]["record"] == k
        assert copied["records"] == referenced["records"]  # the copy gives what the crawl's record gave
    assert cli("fixtures", "check", str(copies), str(refs))[0] == 0


def test_the_readme_pytest_file_works(tmp_path: Path) -> None:
    """The pytest file README.md gives users, dropped into a repository: a test per page, and a
    changed expectation fails naming the field."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```python\n(# tests/test_cleaner_fixtures\.py\n.*?)```", readme, re.S)
    assert match, "README.md lost the pytest file for users"
    repo = tmp_path / "repo"
    (repo / "tests").mkdir(parents=True)
    (repo / "tests" / "test_cleaner_fixtures.py").write_text(match.group(1), encoding="utf-8")
    assert (
        cli(
            "fixtures", "record", *map(str, sorted(SEEDS.glob("*.txt"))[:2]), "--into", str(repo / "fixtures")
        )[0]
        == 0
    )

    path = repo / "fixtures" / f"{TASS}{SUFFIX}"  # one expectation changed by hand, the other left
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["records"][0]["headline"] = "A headline the page does not give"
    path.write_text(json.dumps(doc), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "tests"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "1 failed, 1 passed" in proc.stdout, proc.stdout + proc.stderr
    assert f"FAILED tests/test_cleaner_fixtures.py::test_page[{TASS}{SUFFIX}]" in proc.stdout
    assert 'headline: "A headline the page does not give" -> ' in proc.stdout


def test_compare_reports_each_kind_of_change() -> None:
    """The report's lines for a rule swap, a line kept now, a changed value, and a record gone."""
    from cleaner.tools.fixtures import compare

    def rec(headline: str, body: list[str], removed: list[tuple[int, str, str]]) -> dict:
        fields = dict.fromkeys(FIELDS)
        fields.update(subheads=[], authors=[], headline=headline, body=body)
        fields["removed"] = [{"line": n, "rule": r, "text": t} for n, r, t in removed]
        return fields

    old = {
        "reject": None,
        "records": [
            rec("Dam holds", ["One.", "Two."], [(1, "heur/nav", "Menu"), (5, "global/x", "Three.")]),
            rec("Second", ["Four."], []),
        ],
    }
    new = {
        "reject": None,
        "records": [rec("Dam holds!", ["One.", "Two.", "Three."], [(1, "site/menu", "Menu")])],
    }
    assert compare(old, new, [[2, 3, 5]]) == [
        "records: 2 -> 1",
        'record 1 headline: "Dam holds" -> "Dam holds!"',
        "record 1 body:",
        "  + ¶3 (line 5) Three.",
        "record 1 removed:",
        "  ~ line 1 heur/nav -> site/menu: Menu",
        "  - line 5 global/x: Three. (kept now)",
        'record 2 is gone: headline "Second", 1 paragraphs',
    ]
    assert compare(old, old, [None, None]) == []


def test_pages_inside_warc_keep_their_url_and_http_charset(tmp_path: Path) -> None:
    """A WARC response whose charset is only in its HTTP header: the copy keeps the header's
    charset in the fixture, so the page decodes the same when checked."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    paragraphs = [
        f"Региональное управление водных ресурсов сообщило во вторник, что раздел {k} доклада готов к печати."
        for k in range(6)
    ]
    html = (
        "<html><head><title>Плотина выдержала</title></head><body><article>{}</article></body></html>".format(
            "".join(f"<p>{p}</p>" for p in paragraphs)
        )
    )
    crawl = tmp_path / "crawl.warc"
    with crawl.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=windows-1251")], protocol="HTTP/1.1"
        )
        url = "https://news.example.ru/2021/03/04/dam"
        payload = io.BytesIO(html.encode("cp1251"))
        writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=http))
    into = tmp_path / "fixtures"
    assert cli("fixtures", "record", str(crawl), "--into", str(into))[0] == 0
    doc = json.loads((into / f"crawl-1{SUFFIX}").read_text(encoding="utf-8"))
    assert doc["page"]["file"] == "crawl-1.html" and doc["page"]["url"] == url
    assert doc["page"]["charset"] == "windows-1251"
    assert paragraphs[0] in doc["records"][0]["body"]
    assert (into / "crawl-1.html").read_bytes() == html.encode("cp1251")
    assert cli("fixtures", "check", str(into))[0] == 0
