"""The Indonesian catalogue: valid for msgfmt, complete, and the compiled .mo in step with it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parent.parent / "kinerja" / "locale" / "id" / "LC_MESSAGES"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_catalogue_passes_msgfmt_check_and_matches_the_compiled_file(tmp_path):
    out = tmp_path / "django.mo"
    msgfmt = shutil.which("msgfmt")
    done = subprocess.run(  # noqa: S603 - a fixed tool on the project's own file
        [msgfmt, "--check", "-o", str(out), str(PO / "django.po")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    # The tracked .mo is what compilemessages makes of the .po (msgfmt writes it alike).
    assert out.read_bytes() == (PO / "django.mo").read_bytes()


def test_every_entry_has_one_translation_and_none_is_fuzzy():
    text = (PO / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]
    # Indonesian has one plural form: msgstr[1] would make msgfmt refuse the file.
    assert not re.search(r"^msgstr\[[1-9]\]", text, flags=re.M)
    entries = text.split("\n\n")[1:]
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[0\])? ""\n*$', e.strip(), flags=re.M)
        and not re.search(r'^msgstr(\[0\])? ""\n"', e, flags=re.M)
    ]
    assert untranslated == []
