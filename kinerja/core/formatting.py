"""How values read on the pages, in one place: the NIP's grouped form.

A NIP shows as the four groups of Indonesian personnel documents: birth date (8 digits), TMT CPNS
year and month (6), sex (1), sequence (3): "19800101 200501 1 001". Forms, search, the API and
imports accept it with or without spaces; exports write the plain 18 digits so that they import
again unchanged.
"""

from __future__ import annotations

NIP_GROUPS = (8, 6, 1, 3)


def format_nip(nip: str | None) -> str:
    """Return an 18-digit NIP in its four groups; any other value (None: "") unchanged."""
    if not nip:
        return ""
    nip = str(nip)
    if len(nip) != sum(NIP_GROUPS) or not nip.isdigit():
        return nip
    parts, start = [], 0
    for size in NIP_GROUPS:
        parts.append(nip[start : start + size])
        start += size
    return " ".join(parts)
