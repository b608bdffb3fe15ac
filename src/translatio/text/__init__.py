"""The text stage: a source's text → a ``Document`` of segments, and the pieces of a segment.

* ``document``: the records (``Document``, ``Segment``);
* ``segment``: Markdown or plain text → ``Document`` (markdown-it-py), pure;
* ``markup``: a segment's inline markup, the one vocabulary QA and the engines share;
* ``sentences``: sentence splitting (sentencex, corrected per language);
* ``glossary``: terms kept or translated one way;
* ``typography``: per-language clean-up of translated text runs.
"""
