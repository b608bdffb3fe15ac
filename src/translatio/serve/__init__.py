"""The review desk: ``translatio serve``, the catalogs in a browser on the editor's machine.

For editors who sign off translations without a PO editor. The pages show the documents
and languages with their counts (as ``status``), each language's review queue ranked as
the review page ranks it, and each entry with its source, translation, provenance and QA
findings; a person edits a translation, marks it reviewed, rejects it back to fuzzy, or
approves the passing machine output in bulk, and builds the editions. Every write goes
through the same steps as the command line, under the project lock taken per request,
and is applied only if nobody changed the entry since it was shown (``steps.edit``).

* ``security``: Host check, body limit, access tokens, CSRF, headers;
* ``pages``: the HTML, escaped, script-free;
* ``app``: the Starlette application.

Starlette and uvicorn come with the ``serve`` extra (``pip install translatio[serve]``).
"""
