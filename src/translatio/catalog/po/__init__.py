"""The PO file format, owned in one place: a strict reader and a writer in gettext's layout.

``parse_po`` (``read``) builds a ``polib.POFile`` from bytes and refuses damaged files
with the file and line; ``write_po`` (``write``) turns one back into the bytes GNU
gettext's ``msgcat`` would write (``linebreak`` holds its line-breaking rules). What the
writer writes, the reader reads back to equal entries.
"""

from translatio.catalog.po.read import parse_po
from translatio.catalog.po.write import DEFAULT_WIDTH, remembering_line_breaks, write_po

__all__ = ["DEFAULT_WIDTH", "parse_po", "remembering_line_breaks", "write_po"]
