"""Compare every need report's stored totals with its measures and allocations."""

from django.core.management.base import BaseCommand, CommandError

from needs.totals import drift, refresh_totals


class Command(BaseCommand):
    help = "Names every need report whose stored totals differ from its rows (exit 1 if any)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Recompute the totals of the reports that drifted."
        )

    def handle(self, *args, fix=False, **options):
        found = drift()
        for report, wrong in found:
            figures = ", ".join(f"{f}: stored {s}, rows {c}" for f, (s, c) in wrong.items())
            self.stdout.write(f"report {report.pk} ({report}): {figures}")
        if found and fix:
            refresh_totals(*[report.pk for report, _wrong in found])
            self.stdout.write(f"Recomputed the totals of {len(found)} report(s).")
        elif found:
            raise CommandError(f"{len(found)} need report(s) with wrong stored totals.")
        else:
            self.stdout.write("All stored totals match the rows.")
