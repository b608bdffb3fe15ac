"""Argos Translate packages: installed, validated on install, and offered by the index.

* ``installed``: the packages directory, read, listed and removed;
* ``metadata``: a package's ``metadata.json``, read within limits;
* ``archive``: an ``.argosmodel`` from a stranger, validated whole, then installed;
* ``index``: the package index online and its downloads.
"""
