"""`manage.py loadtest`: 100 coordinators saving measures and 20 officers listing, for 60 s
(deadline scale: p95 ≤ 100 ms, 0 errors, 0 lost writes).

Runs like `manage.py bench`, in a database of its own (`portal_load`, dropped at the end
unless --keep) filled by `bench.dataset`, against gunicorn on loopback. Passes when
there were no errors and no lost writes: every measure's final owner amount is the last one
the server acknowledged, and its version counts every acknowledged save. Writes its section
of docs/benchmarks.md (the bench section is kept).
"""

import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import concurrency, dataset, figures, loadgen
from bench.figures import machine, write_section
from bench.rows import make_users
from measures.models import Measure
from needs.models import NeedReport
from partnerships.models import CountyMembership

from .bench import Command as BenchCommand


class Command(BenchCommand):
    help = (
        "Load test on loopback: coordinators autosaving measures and officers listing, "
        "under gunicorn, in a separate database (portal_load); writes docs/benchmarks.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--coordinators", type=int, default=100)
        parser.add_argument("--officers", type=int, default=20)
        parser.add_argument("--duration", type=int, default=60, help="Seconds of load.")
        parser.add_argument(
            "--think",
            type=float,
            default=1.0,
            help="Seconds each user waits between requests (an autosave while typing).",
        )
        parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers.")
        parser.add_argument("--db-name", default="portal_load")
        parser.add_argument("--keep", action="store_true", help="Keep the database.")
        parser.add_argument(
            "--output",
            default=str(settings.BASE_DIR / "docs" / "benchmarks.md"),
            help="Markdown file to write its section in; '-' to write none.",
        )

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        if not database["ENGINE"].endswith("postgresql"):
            raise CommandError("The load test needs PostgreSQL (run `make load`).")
        self.main_name = database["NAME"]
        self.bench_name = options["db_name"]
        if self.bench_name == self.main_name:
            raise CommandError("--db-name must not be the main database.")
        self.options = options
        load_average = figures.load_average()
        started = time.perf_counter()
        self.log("Collecting static files…")
        call_command("collectstatic", interactive=False, verbosity=0)
        try:
            self.log(f"Creating database {self.bench_name}, migrating, generating data…")
            self.create_database()
            self.use_database(self.bench_name)
            call_command("migrate", verbosity=0, interactive=False)
            data = dataset.generate(scale=1)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            coordinators, officers, before = self.prepare(data)
            connections["default"].close()
            stats, writes, workers = self.run_load(coordinators, officers)
            lost = self.lost_writes(before, writes)
        finally:
            self.use_database(self.main_name)
            if not options["keep"]:
                self.drop_database()
        elapsed = time.perf_counter() - started
        load_average = f"{load_average} at the start, {figures.load_average()} at the end"
        markdown = self.render(stats, lost, load_average, workers, len(writes), elapsed)
        self.stdout.write(markdown)
        if options["output"] != "-":
            write_section(Path(options["output"]), "loadtest", markdown)
            self.log(f"Wrote {options['output']}")
        failed = sum(s.summary()["errors"] for s in stats.values()) or lost
        if failed:
            for kind, s in stats.items():
                for error in s.errors[:5]:
                    self.log(f"{kind}: {error}")
            raise CommandError(f"The load test failed: {failed} errors or lost writes.")

    # Preparation ------------------------------------------------------------------------------

    def prepare(self, data):
        """Sessions, a measure in a draft of each coordinator's own, and what it holds now."""
        User = get_user_model()
        options = self.options
        coordinators = list(
            User.objects.filter(username__startswith="bench.coordinator.")
            .exclude(pk=data.coordinator.pk)
            .order_by("username")[: options["coordinators"]]
        )
        if len(coordinators) < options["coordinators"]:
            raise CommandError("Not enough coordinators in the generated data.")
        chosen, before = [], {}
        for user in coordinators:
            report = (
                NeedReport.objects.filter(partnership__memberships__user=user)
                .order_by("-year", "scheme__order")
                .first()
            )
            # Their latest report is (made) a draft: what coordinators edit now.
            NeedReport.objects.filter(pk=report.pk).update(status=NeedReport.Status.DRAFT)
            measure = Measure.objects.filter(report=report).order_by("position").first()
            url = reverse("measures:edit", args=[report.pk, measure.pk])
            chosen.append((self.session_key(user), url, measure.owner_amount))
            before[url] = (measure.pk, measure.lock_version)
        officer_users = self.officers(options["officers"])
        urls = [
            f"{reverse('needs:list')}?year={dataset.LARGE_YEAR}",
            f"{reverse('needs:queue')}?year={dataset.LARGE_YEAR}",
        ]
        officers = [(self.session_key(u), urls, "Kompetansenettverk") for u in officer_users]
        return chosen, officers, before

    def officers(self, count):
        """`count` case officers: the data's one per county office, and at deadline scale a
        second (third, …) in each office, as the large offices have."""
        User = get_user_model()
        officers = list(
            User.objects.filter(username__startswith="bench.officer.").order_by("username")
        )
        offices = [o.county_offices.get() for o in officers]
        extra = make_users("officer.extra", max(0, count - len(officers)), "Saksbehandler")
        CountyMembership.objects.bulk_create(
            [
                CountyMembership(county_office=offices[i % len(offices)], user=user)
                for i, user in enumerate(extra)
            ]
        )
        return (officers + extra)[:count]

    def session_key(self, user):
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    # The load ---------------------------------------------------------------------------------

    def run_load(self, coordinators, officers):
        options = self.options
        with loadgen.Gunicorn(
            base_dir=settings.BASE_DIR,
            database_url=self.database_url(),
            secret_key=settings.SECRET_KEY,
            workers=options["workers"],
        ) as server:
            self.log(
                f"gunicorn on 127.0.0.1:{server.port}, {server.workers} workers; "
                f"{len(coordinators)} coordinators and {len(officers)} officers for "
                f"{options['duration']} s…"
            )
            # Warm every worker (templates, translations, connections) before timing.
            for i in range(3 * server.workers):
                key, url, _amount = coordinators[i % len(coordinators)]
                loadgen.fetch(server.port, url, f"sessionid={key}")
                key, urls, _expect = officers[i % len(officers)]
                loadgen.fetch(server.port, urls[i % len(urls)], f"sessionid={key}")
            stats, writes = concurrency.run(
                server.port,
                coordinators=coordinators,
                officers=officers,
                duration=options["duration"],
                think=options["think"],
            )
        for kind, s in stats.items():
            summary = s.summary()
            self.log(
                f"{kind}: {summary['requests']} requests, {summary['errors']} errors, "
                f"median {summary['median_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms"
            )
        return stats, writes, server.workers

    def lost_writes(self, before, writes):
        """Measures whose final state is not the last acknowledged save (0 when all is well)."""
        lost = 0
        for url, (pk, version) in before.items():
            if url not in writes:
                continue  # nothing was acknowledged: counted as errors
            amount, saves = writes[url]
            measure = Measure.objects.get(pk=pk)
            if measure.owner_amount != amount or measure.lock_version != version + saves:
                lost += 1
                self.log(
                    f"Lost write on {url}: {measure.owner_amount} (version "
                    f"{measure.lock_version}), expected {amount} (version {version + saves})"
                )
        return lost

    # Output -----------------------------------------------------------------------------------

    def render(self, stats, lost, load_average, workers, measures, elapsed):
        cpu, cores, memory = machine()
        options = self.options
        names = {
            "save": f"Coordinator saves a measure (autosave), {options['coordinators']} users",
            "list": f"Officer lists need reports / queue, {options['officers']} users",
        }
        lines = [
            "## Load test",
            "",
            "Written by `make load` (`manage.py loadtest`). Do not edit by hand.",
            "",
            f"- Date: {timezone.localtime():%Y-%m-%d %H:%M %Z}",
            f"- Machine: {cores} cores, {cpu}, {memory} memory; load average {load_average} "
            "(1 / 5 / 15 min)",
            f"- Setup: gunicorn with {workers} sync workers and PostgreSQL on loopback, 1× data; "
            f"{options['coordinators']} coordinators each autosaving one measure of their own "
            f"draft and {options['officers']} case officers listing (need reports and queue of "
            f"a county-year of {dataset.LARGE_COUNTY_REPORTS} in the large county, others "
            f"smaller), {options['think']} s between a user's requests, for "
            f"{options['duration']} s; run time {elapsed:.0f} s in all",
            "",
            "| load | users | requests | errors | req/s | median ms | p95 ms | max ms |",
            "|---|---|---|---|---|---|---|---|",
        ]
        errors = 0
        for kind, s in stats.items():
            summary = s.summary()
            errors += summary["errors"]
            users = options["coordinators"] if kind == "save" else options["officers"]
            lines.append(
                f"| {names[kind]} | {users} | {summary['requests']} | {summary['errors']} | "
                f"{summary['requests'] / options['duration']:.0f} | "
                f"{summary['median_ms']:.0f} | {summary['p95_ms']:.0f} | "
                f"{summary['max_ms']:.0f} |"
            )
        p95 = max(s.summary()["p95_ms"] for s in stats.values())
        lines += [
            "",
            f"Errors: {errors} {'✓' if not errors else '✗'}. Lost writes: {lost} of {measures} "
            f"measures (final amount and version equal the last acknowledged save) "
            f"{'✓' if not lost else '✗'}. Worst p95: {p95:.0f} ms (client side, including "
            "the wait for a free worker).",
            "",
        ]
        return "\n".join(lines)
