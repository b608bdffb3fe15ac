"""Quality checks: each msgid compared with its msgstr, findings a translator understands.

* ``findings``: the ``Finding`` record and its ``Severity``;
* ``checks``: markup, links, code, numbers: the checks every catalog gets;
* ``characters``: what a reader cannot see: control characters, direction controls, marks;
* ``prose``: the defects a reviewer (or ``pofilter``) sees in running text;
* ``script``: written in its language at all: script, a copy of the source, a neighbour;
* ``language``: what those checks know of each language (scripts, neighbours, words);
* ``chinese``: Simplified in Traditional, punctuation.
"""
