"""Create an API token for a user and print its key, which is shown this once only."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from kinerja.accounts.models import User
from kinerja.accounts.services import token_create


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print the key once. Only its hash is stored: "
        "keep the key safe, it cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for (a system).")
        parser.add_argument("--days", type=int, default=90, help="Days until it expires (90).")

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is not active.")
        try:
            # The command line acts as the token's owner: token_create lets a user make their own.
            token, raw = token_create(actor=user, user=user, name=name, days=days)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(_messages(exc))) from exc
        # The key alone goes to stdout, so scripts can capture it; the rest to stderr.
        self.stderr.write(
            f"Token {token.name!r} for {user.username}, expires {token.expires_at:%Y-%m-%d %H:%M}"
            " UTC. Send it as: Authorization: Bearer <key>"
        )
        self.stdout.write(raw)


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc)]
