"""Argos Translate packages: installed, validated on install, and offered by the index.

* ``installed``: the packages directory, read, listed and removed;
* ``metadata``: a package's ``metadata.json``, read within limits;
* ``archive``: an ``.argosmodel`` from a stranger, validated whole, then installed;
* ``loading``: whether a package's tokenizer and model load (checked at install);
* ``index``: the package index online and its downloads.
"""
