"""Quality checks: each msgid compared with its msgstr, findings a translator understands.

* ``findings``: the ``Finding`` record and its ``Severity``;
* ``checks``: markup, links, code, numbers, script: the checks every catalog gets;
* ``prose``: the defects a reviewer (or ``pofilter``) sees in running text;
* ``chinese``: script, Simplified in Traditional, punctuation.
"""
