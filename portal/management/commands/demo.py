from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from portal.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Demo accounts get the password 'demo'."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would be loaded.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even with DEBUG off (it sets the password 'demo' on accounts).",
        )

    def handle(self, *args, dry_run=False, force=False, **options):
        allowed = settings.DEBUG or getattr(settings, "DEMO_WITHOUT_DEBUG", False)
        if not allowed and not force and not dry_run:
            raise CommandError(
                "DEBUG is off: this looks like production. The demo gives its accounts, "
                "admin included, the password 'demo'. Run with --force if you mean it."
            )
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
