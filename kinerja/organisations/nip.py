"""Build NIPs (for demo data, synthetic provinces and tests) that pass `parse_nip`."""

import datetime as dt

from kinerja.core.formatting import format_nip

__all__ = ["format_nip", "make_nip"]


def make_nip(birth: dt.date, appointed: dt.date, sex: str, sequence: int) -> str:
    """Return the 18-digit NIP for a birth date, appointment month, sex ("m"/"f") and sequence."""
    if not 1 <= sequence <= 999:
        raise ValueError("sequence must be 1..999")
    return f"{birth:%Y%m%d}{appointed:%Y%m}{'1' if sex == 'm' else '2'}{sequence:03d}"
