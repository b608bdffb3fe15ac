"""translatio: offline translation of long-form text through gettext catalogs."""

__version__ = "0.1.0"
