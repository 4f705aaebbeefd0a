"""cpts-extract: CPTS contract facts from French press releases to Parquet tables."""

__version__ = "0.1.0"
