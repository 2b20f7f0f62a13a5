"""Password rules: character classes (BSSN 4/2021) and a strength estimate (zxcvbn)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

# Words that Indonesian users, and a province's staff in particular, put in passwords. The
# estimator knows English passwords and words only; these join its dictionary, the most common
# first (a lower rank means an easier guess).
COMMON_WORDS_ID = tuple(
    """
    sayang cinta rahasia bismillah indonesia merdeka jakarta surabaya bandung semarang malang
    jatim jateng jabar jawa timur tengah barat provinsi pemprov pemkot pemkab kabupaten kota
    dinas badan kantor kinerja pegawai asn pns admin operator sandi katasandi masuk selamat
    pagi siang malam allah alhamdulillah insyaallah sukses bersama garuda pancasila nusantara
    rakyat negara sehat pendidikan kesehatan keuangan bappeda bkd bpsdm inspektorat sekda
    gubernur bupati walikota kepala bidang seksi ganteng cantik mantap bangsa jaya abadi
    agustus januari februari maret april mei juni juli september oktober november desember
    senin selasa rabu kamis jumat sabtu minggu
    """.split()  # noqa: SIM905 - a word list reads better as text
)


class CharacterClassValidator:
    """Require upper case, lower case, a digit and a symbol (BSSN 4/2021)."""

    classes = (
        (re.compile(r"[A-Z]"), "upper"),
        (re.compile(r"[a-z]"), "lower"),
        (re.compile(r"\d"), "digit"),
        (re.compile(r"[^A-Za-z0-9]"), "symbol"),
    )

    def validate(self, password, user=None):
        missing = [name for pattern, name in self.classes if not pattern.search(password or "")]
        if missing:
            raise ValidationError(self.get_help_text(), code="password_character_classes")

    def get_help_text(self):
        return _(
            "Your password must contain an upper-case letter, a lower-case letter, a digit "
            "and a symbol."
        )


class GuessabilityValidator:
    """Refuse passwords that a guesser would find early: common passwords, words, dates,
    keyboard rows, sequences and repeats, however they are capitalised or decorated.

    zxcvbn estimates how many guesses a password needs; min_guesses_log10 10 is its top score
    (4), which the length and character-class rules alone do not reach: ``Password123!`` meets
    both and is among the first thousand guesses.
    """

    def __init__(self, min_guesses_log10: float = 10.0):
        self.min_guesses_log10 = min_guesses_log10

    def validate(self, password, user=None):
        if not password:
            return
        result = zxcvbn(password[:100], user_inputs=[*_user_words(user), *COMMON_WORDS_ID])
        if result["guesses_log10"] >= self.min_guesses_log10:
            return
        reasons = _reasons(result["sequence"])
        if reasons:
            message = _("This password is too easy to guess: it is made of %(reasons)s.") % {
                "reasons": ", ".join(reasons)
            }
        else:
            message = _("This password is too easy to guess.")
        raise ValidationError(
            message + " " + _("Use a longer phrase of several unrelated words."),
            code="password_too_guessable",
        )

    def get_help_text(self):
        return _(
            "Your password must not be easy to guess: no common password, name, word, date, "
            "keyboard row or repeated pattern, even with capitals or symbols added."
        )


def _user_words(user) -> list[str]:
    """The user's own details, which a guesser who knows them tries first."""
    if user is None:
        return []
    words = []
    for attr in ("username", "first_name", "last_name", "email"):
        value = getattr(user, attr, "") or ""
        words.extend(w for w in re.split(r"[\W_]+", value) if len(w) >= 3)
    instansi = getattr(user, "instansi", None) if getattr(user, "instansi_id", None) else None
    if instansi is not None:
        words.extend(w for w in re.split(r"[\W_]+", f"{instansi.code} {instansi.name}") if w)
    return [w.lower() for w in words]


def _reasons(sequence: list[dict]) -> list[str]:
    """Say in the user's language which guessable parts the estimator found."""
    reasons = []
    for match in sequence:
        token = match["token"]
        pattern = match["pattern"]
        if pattern == "dictionary":
            if match.get("dictionary_name") == "passwords":
                text = _("the common password “%(part)s”")
            elif match.get("dictionary_name") == "user_inputs":
                text = _("the common word or name “%(part)s”")
            else:
                text = _("the word “%(part)s”")
            if match.get("l33t"):
                text = _("%(what)s with predictable substitutions") % {"what": text}
            if match.get("reversed"):
                text = _("%(what)s reversed") % {"what": text}
        elif pattern == "date":
            text = _("the date or year “%(part)s”")
        elif pattern == "spatial":
            text = _("the keyboard pattern “%(part)s”")
        elif pattern == "sequence":
            text = _("the sequence “%(part)s”")
        elif pattern == "repeat":
            text = _("the repetition “%(part)s”")
        elif pattern == "regex" and match.get("regex_name") == "recent_year":
            text = _("the date or year “%(part)s”")
        else:
            continue
        reasons.append(text % {"part": token})
    return reasons
