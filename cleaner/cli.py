"""The `cleaner` command line."""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cleaner.errors import ResumeMismatch, RuleError
from cleaner.run.engine import CHUNK_PAGES
from cleaner.run.page import DEFAULT_MAX_PAGE_BYTES, Cleaner, Settings
from cleaner.strip.rules import DEFAULT_RULES
from cleaner.version import __version__

if TYPE_CHECKING:
    from cleaner.run.runner import RunSummary

NO_PAGES = 3  # exit code: the inputs held no page at all (an empty folder, a folder of images)

RULES_OPTION = click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_RULES,
    show_default=True,
    help="Rules folder; replaces the bundled one.",
)


def _load(settings: Settings) -> Cleaner:
    """Load and check the rules before any page is read; a broken rule file ends the run with exit 2."""
    try:
        return Cleaner.load(settings)
    except RuleError as exc:
        click.echo(f"error: bad rule file: {exc}", err=True)
        sys.exit(2)


class _Commands(click.Group):
    """The commands; those that live in their own module (the run report) are imported
    only when named, so a run never imports what it does not use."""

    LAZY = {"report": ("cleaner.tools.report", "report_command")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.LAZY:
            import importlib

            module, name = self.LAZY[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), name)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands)
@click.version_option(__version__)
def main() -> None:
    """Turn crawled news pages into a clean, deduplicated corpus with provenance."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Output folder.")
@RULES_OPTION
@click.option(
    "--max-page-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_PAGE_BYTES,
    show_default=True,
    help="Larger pages are rejected (too-large); the readers refuse anything over 64 MiB whatever this says.",
)
@click.option("--keep-duplicates", is_flag=True, help="Keep copies in the corpus, marked with duplicate_of.")
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Processes (default: the machine's cores)."
)
@click.option("--resume", is_flag=True, help="Continue a killed run in the same --out folder.")
@click.option("--quiet", is_flag=True, help="No progress line and no summary.")
@click.option(
    "--chunk-pages", default=CHUNK_PAGES, show_default=True, help="Pages per work unit and checkpoint."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "jsonl.gz", "jsonl.zst", "parquet"]),
    default="jsonl",
    show_default=True,
    help="Corpus and duplicates format (JSONL compressed by extension, or Parquet).",
)
@click.option("--shard-size", type=click.IntRange(min=1), default=None, help="Records per output shard.")
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: a process pool here; dask: the same pipeline on a Dask cluster.",
)
@click.option(
    "--scheduler", default=None, help="Dask scheduler address (tcp://host:8786); default: a LocalCluster."
)
def clean(
    inputs: tuple[Path, ...],
    out_dir: Path,
    rules_dir: Path,
    max_page_bytes: int,
    keep_duplicates: bool,
    workers: int | None,
    resume: bool,
    quiet: bool,
    chunk_pages: int,
    output_format: str,
    shard_size: int | None,
    engine: str,
    scheduler: str | None,
) -> None:
    """Clean INPUT files or folders into OUT/corpus.jsonl, rejects.jsonl, duplicates.jsonl, stats and manifest.

    Exit codes: 0 done (pages that cannot be cleaned are in rejects.jsonl); 2 a bad rule file,
    a missing input, an output folder that cannot be written, or --resume of another run;
    3 no page in the inputs (an empty folder, only files of other formats); 130 interrupted.
    """
    from cleaner.run.engine import RunOptions, default_workers
    from cleaner.run.runner import run

    missing = [str(p) for p in inputs if not p.exists() and not p.is_symlink()]
    if missing:
        click.echo(f"error: input does not exist: {', '.join(missing)}", err=True)
        sys.exit(2)
    _check_writable(out_dir)
    cleaner = _load(
        Settings(
            rules_dir=rules_dir,
            max_page_bytes=max_page_bytes,
            keep_duplicates=keep_duplicates,
            output_format=output_format,
            shard_size=shard_size,
        )
    )
    options = RunOptions(
        workers=workers or default_workers(),
        resume=resume,
        progress=not quiet and sys.stderr.isatty(),
        chunk_pages=chunk_pages,
        engine=engine,
        scheduler=scheduler,
    )
    try:
        summary = run(list(inputs), out_dir, cleaner, options)
    except ResumeMismatch as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("\ninterrupted: finished pages are kept; run again with --resume to continue", err=True)
        sys.exit(130)
    if not quiet:
        click.echo(_summary(summary, out_dir), err=True)
    if not summary.found_pages:
        what = f"{summary.unsupported} files of no page format, listed in {out_dir / 'rejects.jsonl'}"
        click.echo(
            f"error: no page found in the inputs ({what if summary.unsupported else 'no files'})", err=True
        )
        sys.exit(NO_PAGES)


def _check_writable(out_dir: Path) -> None:
    """An output folder that cannot be written stops the run before any page is read.

    A real probe (a temporary folder made and removed in the nearest existing ancestor):
    os.access says yes to root for any folder, even in /proc.
    """
    probe = out_dir
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    try:
        if not probe.is_dir():
            raise NotADirectoryError(str(probe))
        os.rmdir(tempfile.mkdtemp(prefix=".cleaner-probe-", dir=probe))
    except OSError as exc:
        click.echo(f"error: output folder is not writable: {out_dir} ({exc.strerror or exc})", err=True)
        sys.exit(2)


def _summary(summary: RunSummary, out_dir: Path) -> str:
    seconds = sum(summary.seconds.values()) or 1e-9
    return "\n".join(
        [
            f"pages        {summary.pages:>10,}   ({summary.pages / seconds:,.0f} pages/s, {seconds:,.1f} s)",
            f"articles     {summary.documents:>10,}",
            f"duplicates   {summary.duplicates:>10,}",
            f"rejected     {summary.rejects:>10,}",
            f"repeated     {summary.repeated_lines:>10,}   lines removed as per-site repeats",
            "stages       " + ", ".join(f"{stage} {s:,.1f} s" for stage, s in summary.seconds.items()),
            f"output       {out_dir}/ ({', '.join(_output_names(summary))})",
        ]
        + (
            [f"removed      {', '.join(summary.removed)}   (an earlier run's, not this run's)"]
            if summary.removed
            else []
        )
    )


def _output_names(summary: RunSummary) -> list[str]:
    """The files written, shards folded to a pattern when there are many."""
    names = [str(f["path"]) for f in summary.outputs]
    if len(names) > 4:
        names = sorted({re.sub(r"-\d{5}\.", "-NNNNN.", n) for n in names})
    return [*names, "rejects.jsonl", "stats.json", "manifest.json"]


@main.command("eval")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of <id>.gold.txt bodies (word 4-gram metric).",
)
@click.option(
    "--snippets",
    "snippets_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder with evaldata.json: snippets each page must and must not hold (trafilatura's metric).",
)
@click.option("--per-page", is_flag=True, help="Also print each page's figures.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="Keep the cleaned output here.")
@RULES_OPTION
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Processes (default: the machine's cores)."
)
def eval_command(
    inputs: tuple[Path, ...],
    gold_dir: Path | None,
    snippets_dir: Path | None,
    per_page: bool,
    out_dir: Path | None,
    rules_dir: Path,
    workers: int | None,
) -> None:
    """Clean INPUTs and score them: against GOLD/<id>.gold.txt with the benchmark metric, or
    against SNIPPETS/evaldata.json (pages matched by a JSONL line's id, else the file's stem)."""
    import tempfile

    from cleaner.inputs.read import list_inputs
    from cleaner.inputs.records import read_records
    from cleaner.run.engine import RunOptions, default_workers
    from cleaner.run.runner import run
    from cleaner.tools.evaluate import evaluate, evaluate_snippets

    if (gold_dir is None) == (snippets_dir is None):
        click.echo("error: give exactly one of --gold and --snippets", err=True)
        sys.exit(2)
    cleaner = _load(Settings(rules_dir=rules_dir))
    # the pages only: gold files (NAME.gold.txt) may sit beside them, even be the same folder
    page_files = [path for path, _ in list_inputs(list(inputs)) if ".gold." not in path.name]
    if not page_files:
        click.echo(
            f"error: no page among the inputs (only gold files of {gold_dir or snippets_dir})", err=True
        )
        sys.exit(NO_PAGES)
    with tempfile.TemporaryDirectory() as tmp:
        target = out_dir or Path(tmp)
        run(page_files, target, cleaner, RunOptions(workers=workers or default_workers()))
        records = read_records(target / "corpus.jsonl")
        if snippets_dir is not None:
            summary, found = evaluate_snippets(snippets_dir, records)
            lines = [f"{p.page}\twith={p.found}/{p.wanted}\twithout={p.leaked}/{p.unwanted}" for p in found]
        else:
            assert gold_dir is not None
            summary, pages = evaluate(gold_dir, records)
            lines = [f"{p.page}\tP={p.precision:.3f}\tR={p.recall:.3f}" for p in pages]
    if per_page:
        for line in lines:
            click.echo(line)
    click.echo(json.dumps(summary))


@main.command("dedup")
@click.argument(
    "corpora", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option("--keep-duplicates", is_flag=True, help="Keep copies in the corpus, marked with duplicate_of.")
@click.option("--quiet", is_flag=True, help="No summary line.")
def dedup_command(corpora: tuple[Path, ...], out_dir: Path, keep_duplicates: bool, quiet: bool) -> None:
    """Deduplicate CORPUS.jsonl files cleaned elsewhere (any JSONL whose lines have `text` and `id`)."""
    from cleaner.corpus.dedup import dedup
    from cleaner.inputs.records import read_records
    from cleaner.outputs.write import write_json, write_jsonl

    _check_writable(out_dir)
    records = []
    for path in corpora:
        for number, record in enumerate(read_records(path), start=1):
            if not isinstance(record.get("text"), str) or not isinstance(record.get("id"), str | int):
                click.echo(f"error: {path}:{number}: a record needs a string `text` and an `id`", err=True)
                sys.exit(2)
            records.append(record)
    result = dedup(records, keep_duplicates=keep_duplicates)
    write_jsonl(out_dir / "corpus.jsonl", result.kept)
    write_jsonl(out_dir / "duplicates.jsonl", result.duplicates)
    write_json(out_dir / "stats.json", {"dedup": dict(sorted(result.counts.items()))})
    write_json(
        out_dir / "manifest.json",
        {"cleaner": {"version": __version__}, "inputs": [str(p) for p in corpora], "counts": result.counts},
    )
    if not quiet:
        click.echo(
            f"{len(records)} records: {len(result.kept)} kept, {len(result.duplicates)} duplicates", err=True
        )


@main.command()
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@RULES_OPTION
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a self-contained HTML review page (removed lines struck through) instead of text.",
)
def explain(page: Path, rules_dir: Path, html_out: Path | None) -> None:
    """Print every line of PAGE with its fate and the rule or heuristic that decided it."""
    cleaner = _load(Settings(rules_dir=rules_dir))
    if html_out:
        from cleaner.tools.explain_html import explain_html_file

        html_out.write_text(explain_html_file(page, cleaner), encoding="utf-8")
        return
    from cleaner.tools.explain import explain_page

    click.echo(explain_page(page, cleaner), nl=False)


@main.group()
def rules() -> None:
    """List, show and test the rules."""


@rules.command("list")
@RULES_OPTION
def rules_list(rules_dir: Path) -> None:
    """One line per rule: id, category, action, description."""
    cleaner = _load(Settings(rules_dir=rules_dir))
    for rule in cleaner.rules.rules:
        click.echo(f"{rule.id}\t{rule.category}\t{rule.action}\t{rule.description}")


@rules.command("show")
@click.argument("rule_id")
@RULES_OPTION
def rules_show(rule_id: str, rules_dir: Path) -> None:
    """A rule's description, matcher, position and examples."""
    cleaner = _load(Settings(rules_dir=rules_dir))
    rule = cleaner.rules.by_id(rule_id)
    if rule is None:
        click.echo(f"error: no rule {rule_id!r}", err=True)
        sys.exit(2)
    click.echo(json.dumps(rule.to_doc(), ensure_ascii=False, indent=2))


@rules.command("test")
@RULES_OPTION
def rules_test(rules_dir: Path) -> None:
    """Run every rule's examples, one rule at a time, and check the pages stored under RULES/fixtures/.

    Exit 1 on a failure, 2 when a stored fixture cannot be read.
    """
    from cleaner.strip.rules import check_examples
    from cleaner.structure.dateline import check_pattern_examples
    from cleaner.tools.fixtures import check_folders

    cleaner = _load(Settings(rules_dir=rules_dir))
    failures = check_examples(cleaner.rules.rules) + check_pattern_examples(cleaner.patterns)
    for failure in failures:
        click.echo(f"FAIL {failure}")
    fixture_dir = rules_dir / "fixtures"
    outcomes = check_folders([fixture_dir], cleaner)
    for outcome in outcomes:
        if not outcome.ok:
            click.echo("FAIL fixture " + outcome.report(outcome.path.relative_to(fixture_dir).as_posix()))
    bad = sum(1 for o in outcomes if not o.ok)
    n = len(cleaner.rules.rules) + len(cleaner.patterns)
    click.echo(
        f"{n} rules and dateline patterns, {len(outcomes)} fixture pages, {len(failures) + bad} failures"
    )
    if any(o.error for o in outcomes):
        sys.exit(2)
    sys.exit(1 if failures or bad else 0)


@rules.command("suggest")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--site", default=None, help="Domain (or known site name) of the pages; needed for dumps with no URL."
)
@click.option(
    "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), help="Draft file (default: stdout)."
)
@click.option(
    "--min-pages",
    type=int,
    default=None,
    help="A line must be on this many stories.  [default: 3]",  # suggest.MIN_PAGES, read when used
)
@RULES_OPTION
@click.option("--quiet", is_flag=True, help="No summary line.")
def rules_suggest(
    inputs: tuple[Path, ...],
    site: str | None,
    out_file: Path | None,
    min_pages: int | None,
    rules_dir: Path,
    quiet: bool,
) -> None:
    """Propose site rules for recurring chrome no rule covers yet; writes a TOML draft, never rules/."""
    from cleaner.outputs.write import write_atomic
    from cleaner.tools.suggest import MIN_PAGES, draft_site, to_toml, verify_draft

    cleaner = _load(Settings(rules_dir=rules_dir))
    try:
        found, draft = draft_site(
            list(inputs), cleaner, site, min_pages=MIN_PAGES if min_pages is None else min_pages
        )
    except RuleError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if not draft.pages:
        click.echo("error: no readable pages in the inputs", err=True)
        sys.exit(1)
    text = to_toml(found, draft)
    problems = verify_draft(text, draft, rules_dir)
    if problems:  # never write a draft that does not load or whose examples fail
        for problem in problems:
            click.echo(f"error: draft fails: {problem}", err=True)
        sys.exit(1)
    if out_file:
        write_atomic(out_file, [text])
    else:
        click.echo(text, nl=False)
    changing = sum(1 for r in found if r.kept_pages)
    if quiet:
        return
    click.echo(
        f"{draft.pages} pages of {draft.name}: {len(found)} rules suggested "
        f"({changing} for lines still in the body); fingerprints detect {draft.detected} pages"
        + (f" -> {out_file}" if out_file else ""),
        err=True,
    )


@main.group()
def fixtures() -> None:
    """Pages stored with their expected output, checked again after a rule edit or an upgrade."""


@fixtures.command("record")
@click.argument("pages", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--into", "into", required=True, type=click.Path(file_okay=False, path_type=Path), help="Fixtures folder."
)
@click.option("--reference", is_flag=True, help="Store each page's path relative to --into, not a copy.")
@RULES_OPTION
@click.option("--quiet", is_flag=True, help="Print only problems.")
def fixtures_record(
    pages: tuple[Path, ...], into: Path, reference: bool, rules_dir: Path, quiet: bool
) -> None:
    """Store each PAGE (files, folders, JSONL or WARC) and what it gives today as INTO/NAME.expected.json.

    Exit 2 when an input cannot be read (the others are recorded).
    """
    from cleaner.tools.fixtures import record_pages

    _check_writable(into)
    cleaner = _load(Settings(rules_dir=rules_dir))
    written, problems = record_pages(list(pages), into, cleaner, reference=reference)
    for problem in problems:
        click.echo(f"error: cannot read {problem}", err=True)
    if not quiet:
        for item in written:
            click.echo(f"{item.status:<9} {item.path}")
        click.echo(f"{len(written)} fixture pages in {into}", err=True)
    sys.exit(2 if problems else 0)


@fixtures.command("check")
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@RULES_OPTION
@click.option("--update", is_flag=True, help="Rewrite the expected files that differ (after review).")
@click.option("--quiet", is_flag=True, help="Print only differences and problems.")
def fixtures_check(folders: tuple[Path, ...], rules_dir: Path, update: bool, quiet: bool) -> None:
    """Clean every stored page under FOLDERS again and print, per page and field, what changed.

    Exit 0 when all match, 1 when any differ, 2 when a stored file cannot be read
    (or there is none). With --update, the files that differ are rewritten and named; exit 0.
    """
    from cleaner.tools.fixtures import check_folders
    from cleaner.tools.fixtures import update as rewrite

    cleaner = _load(Settings(rules_dir=rules_dir))
    outcomes = check_folders(list(folders), cleaner)
    if not outcomes:
        click.echo(f"error: no *.expected.json under {', '.join(map(str, folders))}", err=True)
        sys.exit(2)
    for outcome in outcomes:
        if not outcome.ok:
            click.echo(outcome.report())
        if update and rewrite(outcome):
            click.echo(f"updated {outcome.path}")
    errors = sum(1 for o in outcomes if o.error)
    differ = sum(1 for o in outcomes if o.changes)
    if not quiet:
        done = " (rewritten)" if update and differ else ""
        click.echo(f"{len(outcomes)} fixture pages: {differ} differ{done}, {errors} unreadable", err=True)
    sys.exit(2 if errors else 1 if differ and not update else 0)


def run() -> None:
    """The `cleaner` command: main(), then the process ends without tearing the interpreter down.

    Freeing every module and object at exit costs a one-page run ~50 ms of its ~0.35 s.
    When main() has returned (or exited), its files are closed and written: the atexit
    handlers run, the output is flushed, and the process ends with the command's code."""
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    if not isinstance(code, int):  # None or a message, as sys.exit treats them
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    import atexit
    import contextlib

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
