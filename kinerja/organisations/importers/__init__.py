"""Importers for the organisation registry: units, positions and employees.

Each checks a row with the rules the forms and the API use (the model fields' validators and
choices through the column parsers, `services.clean_employee` for the multi-field employee
rules), against lookups preloaded once into dicts, and writes in bulk.

Natural keys: units and positions by code within the instansi, regardless of case (DIKBUD and
dikbud are one unit, as the database's constraint says); employees by NIP. Non-ASN staff have
no NIP: they are matched by name and unit (case and spacing ignored); a row that matches no one
creates a new person, and a name held by two non-ASN staff of the same unit is refused.

A column absent from the file keeps what is stored; an empty cell in a column that is present
clears the value where the field may be blank (otherwise the engine reports the empty cell).

Scope: every lookup (unit, parent unit, position, reports-to position, NIP) is limited to where
the caller may import. A code outside the scope gets the same message as an unknown code, and a
NIP registered elsewhere one neutral message, so no message tells anything about a record the
caller may not see.
"""

from .employees import EmployeeImporter
from .positions import PositionImporter
from .units import UnitImporter

__all__ = ["EmployeeImporter", "PositionImporter", "UnitImporter"]
