"""News corpus cleaner: crawled news pages in, a clean deduplicated corpus with provenance out."""

from cleaner.version import __version__

__all__ = ["__version__"]
