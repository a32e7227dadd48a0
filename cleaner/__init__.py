"""News corpus cleaner: crawled news pages in, a clean deduplicated corpus with provenance out."""

__version__ = "0.1.0"
