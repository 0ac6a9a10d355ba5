"""`manage.py bench_limits [--report ID]`: the two limit cases of `make bench` alone
(bench/limits.py), on the current database; nothing is kept."""

from django.core.management.base import BaseCommand, CommandError

from bench import limits
from needs.models import NeedReport


class Command(BaseCommand):
    help = "Time the PDF of the longest savable texts and the largest accepted import."

    def add_arguments(self, parser):
        parser.add_argument("--report", type=int, help="A need report with measures.")
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, report=None, repeat=3, **options):
        reports = NeedReport.objects.filter(measures__isnull=False).select_related(
            "partnership", "scheme"
        )
        chosen = reports.filter(pk=report).first() if report else reports.first()
        if chosen is None:
            raise CommandError("No need report with measures (run `manage.py demo` first).")
        for result in (
            limits.longest_text_pdf(chosen, repeat),
            limits.longest_text_pdf(chosen, repeat, every_text=True),
            limits.largest_import(chosen, repeat),
        ):
            target = f" (target ≤ {result.target_ms:.0f} ms)" if result.target_ms else ""
            self.stdout.write(
                f"{result.page}: median {result.median_ms:.0f} ms, "
                f"p95 {result.p95_ms:.0f} ms{target} {result.url}"
            )
