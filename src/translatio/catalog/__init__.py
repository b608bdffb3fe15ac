"""The catalog stage: gettext catalogs as values, what ``babel.messages`` is to Babel.

* ``po``: the PO format, a strict reader and a writer in GNU gettext's layout;
* ``values``: a ``Document`` → template, headers, deterministic bytes, copies;
* ``merge``: a template merged into a language catalog (``msgmerge --previous``);
* ``states``: each entry's review state, read from the file alone;
* ``provenance``: the translator comment that marks untouched machine output;
* ``fill``: a catalog's empty entries filled from an engine's answers.
"""
