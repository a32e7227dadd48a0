# Every target sets up .venv the first time; nothing else is needed on a fresh machine.
PY      := .venv/bin/python
VENV    := .venv/.installed
RAW     ?= fixtures/seeds
OUT     ?= out
SHARED  ?= ../shared

.PHONY: clean-corpus test test-slow lint bench snapshots clean

$(VENV): pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -e '.[dev]'
	# bytecode once: where PYTHONDONTWRITEBYTECODE is set, every run would compile the package again (~0.3 s)
	$(PY) -m compileall -q cleaner
	touch $(VENV)

clean-corpus: $(VENV)
	.venv/bin/cleaner clean "$(RAW)" --out "$(OUT)"

test: $(VENV)
	$(PY) -m pytest -q -n auto  # one test process per core (pytest-xdist)

test-slow: $(VENV)
	$(PY) -m pytest -q -m slow || [ $$? -eq 5 ]  # 5: no slow test selected

lint: $(VENV)
	.venv/bin/ruff check cleaner tests bench
	.venv/bin/ruff format --check cleaner tests bench
	.venv/bin/mypy cleaner

bench: $(VENV)
	$(PY) bench/run.py --shared $(SHARED)

snapshots: $(VENV)  # the seeds' expected files: prints what changed, rewrites them (review the diff)
	.venv/bin/cleaner fixtures check fixtures/seeds --update

clean:
	rm -rf out .pytest_cache
