"""The verification codes of the official documents, as pure functions (no database access).

A code is ten characters drawn at random (``secrets``) from 32 letters and digits that cannot be
misread: no 0/O, no 1/I (so 50 bits: about 10^15 codes; with the check page rate-limited, a
guesser cannot find one). It is printed in two groups of five, ``7KQ4M-XR2TB``; the check page
accepts it in any case, with or without the dash or spaces.

A document's *digest* is the SHA-256 of its facts in canonical JSON (sorted keys, no spaces):
the same facts give the same digest, so printing an unchanged evaluation again finds its code,
and a changed one shows the code's document as superseded.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import Any

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: no 0, O, 1, I
LENGTH = 10
GROUP = 5
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.]+")


def new_code() -> str:
    """A fresh random code (stored without its dash)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """The stored form of a code as typed or read from a QR code (upper case, no dash or
    spaces), or None when it cannot be a code (another length, a letter outside the alphabet)."""
    code = _SEPARATORS.sub("", str(text or "")).upper()
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def grouped(code: str) -> str:
    """The printed form: ``7KQ4MXR2TB`` -> ``7KQ4M-XR2TB``."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def mask_nip(nip: str) -> str:
    """A NIP as the public check page shows it: its birth date, start of service and sequence
    hidden, the first two and last three digits kept (``19800101 200501 1 001`` ->
    ``19****** ****** * 001``). Empty stays empty; anything that is not 18 digits shows only
    its last three characters."""
    digits = str(nip or "").replace(" ", "")
    if not digits:
        return ""
    if len(digits) != 18 or not digits.isdigit():
        return "*" * max(len(digits) - 3, 0) + digits[-3:]
    masked = digits[:2] + "*" * 13 + digits[-3:]
    return f"{masked[:8]} {masked[8:14]} {masked[14]} {masked[15:]}"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)  # Decimal, dates: their text, so 85.50 and 85.5 stay distinct facts


def digest(facts: dict[str, Any]) -> str:
    """SHA-256 (hex) of the facts in canonical JSON."""
    text = json.dumps(_plain(facts), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
