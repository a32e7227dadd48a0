"""The package version: one place, imported by the records, the manifest and the CLI."""

__version__ = "0.1.0"
