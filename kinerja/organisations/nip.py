"""Build NIPs (for demo data, synthetic provinces and tests) that pass `parse_nip`."""

import datetime as dt


def make_nip(birth: dt.date, appointed: dt.date, sex: str, sequence: int) -> str:
    """Return the 18-digit NIP for a birth date, appointment month, sex ("m"/"f") and sequence."""
    if not 1 <= sequence <= 999:
        raise ValueError("sequence must be 1..999")
    return f"{birth:%Y%m%d}{appointed:%Y%m}{'1' if sex == 'm' else '2'}{sequence:03d}"


def format_nip(nip: str | None) -> str:
    """Return the NIP in its four groups (birth date, appointment, sex, sequence) for display."""
    if not nip or len(nip) != 18:
        return nip or ""
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
