import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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
