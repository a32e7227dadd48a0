"""`python -m cleaner ...`: the command line without the installed script (profilers, odd PATHs)."""

from cleaner.cli import run

if __name__ == "__main__":
    run()
