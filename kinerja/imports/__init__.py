"""One import engine for Excel (.xlsx) and CSV files, shared by every app's importers.

An app declares an `Importer` (columns, natural key, checks and bulk writes) in its
``importers/`` package and registers it with `register`; the pages, the background task and the
``import_*`` commands then serve it with dry run, per-row errors, progress and one audit event.
"""

from .base import ImportContext, Importer, RowError, get_importer, importers, register
from .columns import Column

__all__ = [
    "Column",
    "ImportContext",
    "Importer",
    "RowError",
    "get_importer",
    "importers",
    "register",
]
