"""The project on disk: the only layer that touches files.

* ``workspace``: where files are, reading sources and catalogs, committing catalogs;
* ``storage``: atomic replacement with a compare-and-swap check, and the project lock;
* ``sources``: which files are sources, and their bytes as clean text.
"""
