"""Create an account with a temporary password, audited; grant its roles on the pages or API."""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kinerja.accounts.services import user_create
from kinerja.organisations.models import Employee, Instansi
from kinerja.organisations.validators import normalise_nip


class Command(BaseCommand):
    help = (
        "Create an account in an instansi, optionally linked to an employee by NIP. The password "
        "is asked twice (or read from standard input with --password-stdin) and must be changed "
        "at the first sign-in. Roles are granted afterwards on /accounts/grants/ or the API."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--instansi", required=True, help="The instansi code.")
        parser.add_argument("--nip", help="Link the account to this employee.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--password-stdin", action="store_true")
        parser.add_argument(
            "--keep-password",
            action="store_true",
            help="Do not ask for a change at the first sign-in.",
        )

    def handle(self, *args, username, instansi, nip, password_stdin, keep_password, **options):
        inst = Instansi.objects.filter(code=instansi).first()
        if inst is None:
            raise CommandError(f"No instansi {instansi!r}.")
        employee = None
        if nip:
            try:
                employee = Employee.objects.filter(instansi=inst, nip=normalise_nip(nip)).first()
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            if employee is None:
                raise CommandError(f"No employee with NIP {nip!r} in {instansi}.")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The passwords differ.")
        try:
            user = user_create(
                actor=None,
                username=username,
                password=password,
                instansi=inst,
                employee=employee,
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                must_change_password=not keep_password,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Created {user.username} (id {user.pk}) in {inst.code}.")
