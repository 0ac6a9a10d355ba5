from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from portal.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Demo accounts get the password 'demo'."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would be loaded.")

    def handle(self, *args, dry_run=False, **options):
        # The demo goes through the services users go through, which notify people by
        # e-mail; the demo's accounts are made up, so nothing is sent.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            load_demo(stdout=self.stdout)
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("Dry run: nothing was saved.")
                return
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
