"""Materialised paths of the unit tree: one fixed-width step per level, the unit ids from the
agency down, each followed by a dot (``00000012.00000345.``).

Fixed width keeps two properties every reader relies on: the text order of paths is the tree
order (a parent before its subtree, siblings by id), and a subtree is the paths that start with
its root's path (one indexed ``LIKE 'prefix%'``). ``STEP`` digits hold ids up to 99,999,999, a
national tree with room to spare; ``MAX_LENGTH`` characters hold ``MAX_DEPTH`` levels.

Paths were six digits a step until organisations migration 0004 rewrote them. Audit events are
sealed and never rewritten, so those written before keep six-digit paths; `legacy` gives a path
in that former format, and scoped reads of the audit trail match both (the two formats never
share a prefix: the seventh character is a dot in one and a digit in the other).
"""

from __future__ import annotations

STEP = 8
MAX_LENGTH = 255
MAX_DEPTH = MAX_LENGTH // (STEP + 1)  # levels below the agency included: 28
LEGACY_STEP = 6


def step(pk: int) -> str:
    """Return the path step of the unit with id ``pk``."""
    if not 0 < pk < 10**STEP:
        raise ValueError(f"Unit id {pk} does not fit in a path step of {STEP} digits.")
    return f"{pk:0{STEP}d}."


def child(parent_path: str, pk: int) -> str:
    """Return the path of unit ``pk`` under the unit whose path is ``parent_path`` ('' at top)."""
    return f"{parent_path}{step(pk)}"


def ids(path: str) -> list[int]:
    """Return the unit ids of ``path``, the agency first (either format)."""
    return [int(part) for part in path.split(".") if part]


def legacy(path: str) -> str | None:
    """Return ``path`` in the former six-digit format; None when an id does not fit in it (no
    such path was ever stored)."""
    parts = ids(path)
    if any(pk >= 10**LEGACY_STEP for pk in parts):
        return None
    return "".join(f"{pk:0{LEGACY_STEP}d}." for pk in parts)


def widen(path: str) -> str:
    """Return a six-digit-format ``path`` in today's format (what the migration writes)."""
    return "".join(step(pk) for pk in ids(path))
