"""The review step: one review page per document in a language, for the reviewer.

The page itself is ``publish.review_page``'s; this step reads the catalogs, adds the
memory's consistency warnings, and writes ``editions/<lang>/<doc>.review.html``.
"""

from __future__ import annotations

from translatio.errors import EditionError
from translatio.languages import Language
from translatio.publish import messages
from translatio.publish.language_names import autonym
from translatio.publish.review_page import render_review
from translatio.qa.findings import Finding
from translatio.tm.consistency import inconsistencies
from translatio.workspace.workspace import Workspace

__all__ = ["review_pages"]


def review_pages(workspace: Workspace, target: Language) -> list[tuple[str, bool]]:
    """Write ``editions/<lang>/<doc>.review.html`` for every document; (path, written)."""
    words = messages.translator(target)
    pages = []
    slots = list(workspace.catalogs([target]))
    inconsistent = inconsistencies((workspace.relative(slot.path), slot.catalog) for slot in slots)
    for slot in slots:
        extra: dict[int, list[Finding]] = {}
        for finding in inconsistent.get(workspace.relative(slot.path), ()):
            extra.setdefault(finding.line, []).append(finding)
        page = render_review(
            slot.catalog,
            source=workspace.settings.source_language,
            target=target,
            path=workspace.relative(slot.path),
            title=words(messages.REVIEW_TITLE, document=slot.document, language=autonym(target)),
            glossary=workspace.read_glossary(target),
            extra=extra,
        )
        output = workspace.edition_path(slot.document, target, ".review.html")
        written = workspace.write(output, page.encode("utf-8"), error=EditionError)
        pages.append((workspace.relative(output), written))
    return pages
