"""The translation memory of human work: reviewed translations, indexed for reuse.

What goes in is reviewed text only: every non-fuzzy entry of every document's catalog
(written by a person, or machine output a reviewer accepted) and the memories imported
with ``translatio tm import`` (kept in the project under ``locales/memory/``). The
catalogs and those files stay the truth; the SQLite index in the cache directory is
rebuilt or updated from them and never holds the only copy of anything.

* ``units``: what one catalog entry gives the memory (paragraph and sentence units);
* ``index``: the SQLite index, one file per project, rebuilt when damaged;
* ``lookup``: exact (a dictionary) and close matches (rapidfuzz behind a word index);
* ``feed``: keeping the index in step with the catalogs and imported memories;
* ``tmx``: TMX 1.4b, read and written; ``compendium``: imported PO and TMX files;
* ``consistency``: one source, different reviewed translations (``check``'s warning).
"""
