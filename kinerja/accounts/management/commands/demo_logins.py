"""Print the demo log-ins (username, role, scope, password), where these settings allow them."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kinerja.accounts.demo import demo_login_rows


class Command(BaseCommand):
    help = (
        "List the demo accounts with their role, scope and password. Prints only a warning "
        "where settings refuse demo log-ins (KINERJA_DEMO_LOGINS=False, as in production)."
    )

    def handle(self, *args, **options):
        if not settings.KINERJA_DEMO_LOGINS:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "Demo log-ins are off in these settings (KINERJA_DEMO_LOGINS=False): "
                        "demo accounts cannot sign in."
                    )
                )
            )
            return
        rows = demo_login_rows()
        if not rows:
            self.stdout.write(_("No demo log-ins yet: run `manage.py load_demo`."))
            return
        header = (_("username"), _("role"), _("scope"), _("password"))
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write(self.style.MIGRATE_HEADING(line.format(*header).rstrip()))
        for row in rows:
            self.stdout.write(line.format(*row).rstrip())
        self.stdout.write(_("Demo data: everything below the agencies is synthetic."))
