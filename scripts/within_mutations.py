#!/usr/bin/env python
"""Take out each `.within(...)` call in kinerja/, one at a time, and see whether a test notices.

Every read starts from ``.within(request.scope)``; a test suite that still passes with one of
them removed does not guard that read. For each call (found with ``ast``, so comments and
docstrings are skipped and calls spanning several lines are handled) this script replaces
``.within(ARGS)`` by ``.all()``, checks that the mutated module still imports, runs a subset of
the tests with ``-x``, restores the file, and prints the removals that survived.

    nice .venv/bin/python scripts/within_mutations.py                 # default test subset
    nice .venv/bin/python scripts/within_mutations.py --list          # show the calls only
    nice .venv/bin/python scripts/within_mutations.py -k home.py -- tests/test_scope_content.py

The file is restored in a ``finally`` (also on Ctrl-C and SIGTERM). Exit status 1 when a
removal survived. Run it from the repository root with the test settings.
"""

from __future__ import annotations

import argparse
import ast
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kinerja"
DEFAULT_TESTS = [
    "tests/test_scope_content.py",
    "tests/test_write_paths.py",
    "tests/test_permission_matrix.py",
    "kinerja",
]


@dataclass(frozen=True)
class Site:
    """One ``.within(...)`` call: where it is and the text range to replace."""

    path: Path
    line: int
    start: int  # offset of the "." before "within"
    end: int  # offset just after the closing parenthesis
    text: str

    @property
    def label(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def _offsets(source: str) -> list[int]:
    """Return the character offset at which each line starts (1-based lines -> index - 1)."""
    starts, total = [], 0
    for line in source.splitlines(keepends=True):
        starts.append(total)
        total += len(line)
    return starts


def find_sites(path: Path) -> list[Site]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    starts = _offsets(source)
    sites = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "within"
        ):
            continue
        receiver = node.func.value
        # ast offsets are in UTF-8 bytes; convert through the line's text.
        line_text = source.splitlines(keepends=True)
        recv_end = starts[receiver.end_lineno - 1] + len(
            line_text[receiver.end_lineno - 1].encode()[: receiver.end_col_offset].decode()
        )
        call_end = starts[node.end_lineno - 1] + len(
            line_text[node.end_lineno - 1].encode()[: node.end_col_offset].decode()
        )
        start = source.index(".", recv_end)
        sites.append(
            Site(
                path=path,
                line=node.func.end_lineno,
                start=start,
                end=call_end,
                text=" ".join(source[start:call_end].split()),
            )
        )
    return sorted(sites, key=lambda s: s.start)


def all_sites() -> list[Site]:
    sites = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).parts
        if "tests" in rel or "migrations" in rel:
            continue
        sites.extend(find_sites(path))
    return sites


def module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imports(site: Site, env: dict[str, str]) -> bool:
    code = f"import django; django.setup(); import {module_of(site.path)}"
    result = subprocess.run(  # noqa: S603 - our own interpreter and module name
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return result.returncode == 0


def run_tests(tests: list[str], env: dict[str, str]) -> tuple[bool, str]:
    """Return (passed, first failure). A run that did not finish (interrupted, usage error, no
    tests) raises: it must not be counted as a removal that the tests noticed."""
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-m", "not browser", "-p", "no:warnings"]
    # Our own interpreter running pytest on paths given on our command line.
    result = subprocess.run(cmd + tests, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    if result.returncode not in (0, 1):
        raise RuntimeError(f"pytest exited with {result.returncode}: {lines[-1:] or result.stderr}")
    failed = next((ln for ln in lines if ln.startswith(("FAILED", "ERROR"))), "")
    return result.returncode == 0, failed or (lines[-1] if lines else "")


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the calls and stop")
    parser.add_argument(
        "-k",
        dest="only",
        action="append",
        help="mutate only calls whose file:line contains this (repeatable)",
    )
    parser.add_argument("tests", nargs="*", help=f"test paths (default: {DEFAULT_TESTS})")
    args = parser.parse_args(argv)

    sites = all_sites()
    if args.only:
        sites = [s for s in sites if any(part in s.label for part in args.only)]
    if args.list:
        for site in sites:
            print(f"{site.label:50} {site.text}")
        print(f"{len(sites)} calls")
        return 0

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    tests = args.tests or DEFAULT_TESTS
    print(f"{len(sites)} calls; tests: {' '.join(tests)}", flush=True)
    ok, last = run_tests(tests, env)
    if not ok:
        print(f"The unmutated suite fails; fix it first: {last}")
        return 2

    # Started in the background by a shell, SIGINT may arrive ignored: restore Ctrl-C, and let
    # SIGTERM stop the run the same way, so that the finally below restores the file.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    survivors, invalid = [], []
    for number, site in enumerate(sites, 1):
        original = site.path.read_bytes()
        text = original.decode("utf-8")
        # Offsets were taken before any mutation; each file is restored before the next.
        mutated = text[: site.start] + ".all()" + text[site.end :]
        started = time.monotonic()
        try:
            site.path.write_text(mutated, encoding="utf-8")
            if not imports(site, env):
                invalid.append(site)
                outcome = "INVALID (does not import)"
            else:
                passed, detail = run_tests(tests, env)
                if passed:
                    survivors.append(site)
                    outcome = "SURVIVED"
                else:
                    outcome = f"killed by {detail.removeprefix('FAILED ').split(' - ')[0]}"
        finally:
            site.path.write_bytes(original)
        took = time.monotonic() - started
        print(f"[{number}/{len(sites)}] {site.label} {site.text}: {outcome} ({took:.0f}s)")
        sys.stdout.flush()

    print()
    print(f"{len(survivors)} of {len(sites)} removals survived.")
    for site in survivors:
        print(f"  survived: {site.label} {site.text}")
    for site in invalid:
        print(f"  invalid:  {site.label} {site.text}")
    return 1 if survivors or invalid else 0


if __name__ == "__main__":
    sys.exit(main())
