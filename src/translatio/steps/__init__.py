"""The steps translatio runs over a workspace, each a function of it and a selection.

A step reads through the ``Workspace`` (each source and catalog once per run), calls the
pure core (segment, merge, translate, qa, edition, render), writes what it changed once,
at its end, by compare-and-swap, and returns report values. ``Project`` holds the lock and
chooses the languages; the CLI only puts the reports into words.
"""
