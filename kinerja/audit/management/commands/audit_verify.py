from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kinerja.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and report the first event that does not match."

    def handle(self, *args, **options):
        checked, bad, problem = verify_chain()
        if problem:
            where = (
                f" #{bad.sequence} ({bad.action}, {bad.occurred_at:%Y-%m-%d %H:%M})" if bad else ""
            )
            raise CommandError(
                _("Audit chain broken at%(where)s: %(problem)s")
                % {"where": where, "problem": problem}
            )
        self.stdout.write(
            self.style.SUCCESS(_("Audit chain intact: %(n)d events.") % {"n": checked})
        )
