"""`manage.py bench`: page timings, query counts and throughput on national-scale data.

Runs in a database of its own (`portal_bench` on the same PostgreSQL server), never in the
main one: it is dropped and created at the start, migrated, filled by `bench.dataset`,
measured, and dropped at the end unless --keep. Writes the results to docs/benchmarks.md.

The pages and their targets are in bench/pages.py.
"""

import gc
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation
from psycopg import sql

from bench import dataset, export_zip, figures, limits, loadgen
from bench.figures import (
    HELLO,
    WEASYPRINT,
    Result,
    percentile,
    render_markdown,
    write_section,
)
from bench.pages import PAGES, PDF_FACTOR, PDF_PAGE
from needs.models import NeedReport
from reporting import pdf


def scales_first(options):
    return 1 if options["compare_scales"] else options["scale"]


class Command(BaseCommand):
    help = (
        "Benchmark the main pages on national-scale data in a separate database "
        "(portal_bench), and write docs/benchmarks.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the partnerships.")
        parser.add_argument(
            "--compare-scales",
            action="store_true",
            help="Run 1× and 10× and check that the query counts match.",
        )
        parser.add_argument("--repeat", type=int, default=50, help="Timed requests per page.")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests first.")
        parser.add_argument(
            "--duration", type=int, default=5, help="Seconds of load per page under gunicorn."
        )
        parser.add_argument("--connections", type=int, default=4, help="Concurrent connections.")
        parser.add_argument("--no-throughput", action="store_true", help="Skip gunicorn.")
        parser.add_argument(
            "--load", choices=["auto", "wrk", "python"], default="auto", help="Load generator."
        )
        parser.add_argument("--db-name", default="portal_bench")
        parser.add_argument("--keep", action="store_true", help="Keep the benchmark database.")
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md"),
            help="Markdown file to write; '-' to write none.",
        )
        parser.add_argument(
            "--show-queries", action="store_true", help="Print each page's SQL queries."
        )
        parser.add_argument(
            "--export-workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Task workers for the bulk export case (default: the number of cores).",
        )
        parser.add_argument(
            "--only-export", action="store_true", help="Run only the bulk export case."
        )
        parser.add_argument("--no-export", action="store_true", help="Skip the bulk export.")

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        if not database["ENGINE"].endswith("postgresql"):
            raise CommandError(
                "The benchmarks need PostgreSQL (set DATABASE_URL, or run `make bench`); "
                f"the default database is {database['ENGINE']}."
            )
        self.main_name = database["NAME"]
        self.bench_name = options["db_name"]
        if self.bench_name == self.main_name:
            raise CommandError("--db-name must not be the main database.")
        self.options = options
        scales = [1, 10] if options["compare_scales"] else [options["scale"]]
        started = time.perf_counter()
        self.load_average = figures.load_average()
        cpu_start = figures.cpu_times()
        python_ms = figures.python_reference_ms()
        round_trip = figures.round_trip_us(connections["default"])

        self.log("Collecting static files (DEBUG is off: manifest storage)…")
        call_command("collectstatic", interactive=False, verbosity=0)
        # Stored PDFs go to a temporary MEDIA_ROOT, never the project's media/.
        self.media_root = tempfile.mkdtemp(prefix="portal-bench-media-")
        media = override_settings(MEDIA_ROOT=self.media_root)
        media.enable()
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        self.wrk = None
        if not options["no_throughput"] and options["load"] != "python":
            self.wrk = loadgen.find_wrk(install=True)
            if self.wrk is None and options["load"] == "wrk":
                raise CommandError("wrk is not installed (apt-get install wrk).")
            if self.wrk is None:
                self.log("wrk is not available: using the Python load generator.")

        results, runs = {}, {}
        self.export_result = None
        try:
            for scale in scales:
                results[scale], runs[scale] = self.run_scale(scale)
        finally:
            media.disable()
            shutil.rmtree(self.media_root, ignore_errors=True)
            self.use_database(self.main_name)
            if not options["keep"]:
                self.drop_database()
            else:
                self.log(f"Kept the database {self.bench_name}.")

        elapsed = time.perf_counter() - started
        if self.export_result is not None:
            export_markdown = self.export_result.markdown()
            self.stdout.write(export_markdown)
            if options["output"] != "-":
                write_section(Path(options["output"]), "export", export_markdown)
        if options["only_export"]:
            self.log(f"Done in {elapsed:.0f} s.")
            return
        markdown = render_markdown(
            results,
            runs,
            pages=PAGES,
            options=options,
            elapsed=elapsed,
            load_average=(f"{self.load_average} at the start, {figures.load_average()} at the end"),
            pg_version=self.pg_version(),
            speed=figures.speed_line(
                python_ms,
                round_trip,
                figures.steal_percent(cpu_start, figures.cpu_times()),
            ),
        )
        self.stdout.write(markdown)
        if options["output"] != "-":
            write_section(Path(options["output"]), "bench", markdown)
            self.log(f"Wrote {options['output']}")
        self.log(f"Done in {elapsed:.0f} s.")

    def log(self, message):
        self.stderr.write(message)

    # The benchmark database ---------------------------------------------------------------

    def admin_connection(self):
        """A connection to the server (the main database's name), outside any transaction."""
        sd = settings.DATABASES["default"]
        params = {
            "dbname": self.main_name,
            "user": sd.get("USER"),
            "password": sd.get("PASSWORD"),
            "host": sd.get("HOST"),
            "port": sd.get("PORT"),
        }
        return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)

    def drop_database(self):
        with self.admin_connection() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.bench_name)
                )
            )

    def create_database(self):
        self.drop_database()
        with self.admin_connection() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.bench_name)))

    def use_database(self, name):
        connections["default"].close()
        settings.DATABASES["default"]["NAME"] = name
        connections["default"].settings_dict["NAME"] = name

    def database_url(self):
        sd = settings.DATABASES["default"]
        user = quote(sd.get("USER") or "", safe="")
        password = quote(sd.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = quote(sd.get("HOST") or "", safe="")
        port = f":{sd['PORT']}" if sd.get("PORT") else ""
        return f"postgres://{auth}{host}{port}/{quote(self.bench_name, safe='')}"

    # One scale ------------------------------------------------------------------------------

    def run_scale(self, scale):
        run = {"scale": scale}
        self.log(f"[{scale}×] Creating database {self.bench_name} and migrating…")
        t = time.perf_counter()
        self.create_database()
        self.use_database(self.bench_name)
        call_command("migrate", verbosity=0, interactive=False)
        run["migrate_s"] = time.perf_counter() - t

        self.log(f"[{scale}×] Generating data…")
        t = time.perf_counter()
        data = dataset.generate(scale=scale)
        run["generate_s"] = time.perf_counter() - t
        run["counts"] = data.counts
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # The generator leaves this process with hundreds of thousands of objects that a
        # server process never has; every full garbage collection during the timed
        # requests would walk them. Collect them and freeze the rest out of the collector.
        gc.collect()
        gc.freeze()
        self.log(
            f"[{scale}×] {run['generate_s']:.1f} s: "
            + ", ".join(f"{v} {k}" for k, v in data.counts.items())
        )

        if scale == scales_first(self.options) and not self.options["no_export"]:
            self.export_result = self.bulk_export(data)
        if self.options["only_export"]:
            connections["default"].close()
            return [], run

        clients = {}
        for page in PAGES:
            if page.user not in clients:
                client = Client()
                client.force_login(getattr(data, page.user))
                clients[page.user] = client

        results = []
        for page in PAGES:
            results.append(self.time_page(page, data, clients[page.user]))
            r = results[-1]
            self.log(
                f"[{scale}×] {page.name}: median {r.median_ms:.1f} ms, p95 {r.p95_ms:.1f} ms, "
                f"{r.queries} queries"
            )
        baseline = self.weasyprint_baseline(data)
        results.append(baseline)
        for r in results:
            if r.page == PDF_PAGE:
                r.target_ms = PDF_FACTOR * baseline.median_ms
                r.target_note = f"≤ {PDF_FACTOR}× WeasyPrint"
        self.log(f"[{scale}×] {baseline.page}: median {baseline.median_ms:.1f} ms")
        for result in (
            limits.longest_text_pdf(data.seed_report),
            limits.longest_text_pdf(data.seed_report, every_text=True),
            limits.largest_import(data.seed_report),
        ):
            results.append(result)
            self.log(f"[{scale}×] {result.page}: median {result.median_ms:.1f} ms")

        if not self.options["no_throughput"]:
            # What each user's browser sends: the session and the CSRF cookie of its pages.
            cookies = {
                user: "; ".join(f"{name}={morsel.value}" for name, morsel in c.cookies.items())
                for user, c in clients.items()
            }
            run["load_tool"] = "wrk" if self.wrk else "python"
            results.append(self.throughput(data, results, cookies))
        connections["default"].close()
        return results, run

    def bulk_export(self, data):
        """The ZIPs of the county-year of 300 through `db_worker` processes (bench/export_zip)."""
        with tempfile.TemporaryFile() as log:
            try:
                result = export_zip.run(
                    workers=self.options["export_workers"],
                    database_url=self.database_url(),
                    media_root=self.media_root,
                    secret_key=settings.SECRET_KEY,
                    user=data.large_officer,
                    log=log,
                    say=self.log,
                )
            except Exception:
                log.seek(0)
                tail = log.read().decode(errors="replace")[-3000:]
                if tail:
                    self.log(f"The task workers' log:\n{tail}")
                raise
        self.log(
            f"Bulk export: {result.seconds:.1f} s for {result.reports} reports "
            f"(target ≤ {result.target_seconds:.1f} s)"
        )
        return result

    def get(self, client, url, expect):
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise CommandError(f"GET {url} answered {response.status_code}, not 200.")
        if response.streaming:
            content = b"".join(response.streaming_content)
        else:
            content = response.content
        if not any(isinstance(text, bytes) for text in expect):
            content = content.decode()
        missing = [text for text in expect if text not in content]
        if missing:
            raise CommandError(f"GET {url} does not contain {missing!r}.")
        return response

    def time_page(self, page, data, client):
        """The page as a browser gets it: rendered on every request."""
        url, expect = page.url(data), page.expect(data)
        repeat = min(page.repeat or self.options["repeat"], self.options["repeat"])
        for _ in range(self.options["warmup"]):
            self.get(client, url, expect)
        queries = self.queries_of(client, url, expect)
        if self.options["show_queries"]:
            self.stdout.write(f"\n-- {page.name} ({url}): {len(queries)} queries")
            for query in queries:
                self.stdout.write(f"{query['time']} s  {query['sql']}")
        times = self.times(client, url, expect, repeat)
        return Result(
            page=page.name,
            user=page.user,
            url=url,
            median_ms=statistics.median(times),
            p95_ms=percentile(times, 0.95),
            queries=len(queries),
            target_ms=page.target_ms,
        )

    def queries_of(self, client, url, expect):
        with CaptureQueriesContext(connection) as captured:
            self.get(client, url, expect)
        return list(captured.captured_queries)  # now: the next request clears the log

    def times(self, client, url, expect, repeat):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            self.get(client, url, expect)
            times.append((time.perf_counter() - start) * 1000)
        return times

    def weasyprint_baseline(self, data):
        """WeasyPrint alone, on the same final HTML string the PDF view renders."""
        report = NeedReport.objects.select_related("partnership", "scheme").get(
            pk=data.seed_report.pk
        )
        context = pdf.need_report_context(pdf.report_data(report), draft=report.is_editable)
        with translation.override(report.partnership.language):
            html = render_to_string("reporting/pdf/need_report.html", context)
        pdf.html_to_pdf(html)
        times = []
        for _ in range(min(10, self.options["repeat"])):
            start = time.perf_counter()
            pdf.html_to_pdf(html)
            times.append((time.perf_counter() - start) * 1000)
        return Result(
            page=WEASYPRINT,
            median_ms=statistics.median(times),
            p95_ms=percentile(times, 0.95),
        )

    def throughput(self, data, results, cookies):
        """Requests/s per page under gunicorn, every request rendered; returns the
        hello-world row."""
        hello = Result(page=HELLO, url=loadgen.HELLO_PATH)
        pages = [
            (result, cookies[page.user], page.expect(data))
            for page, result in zip(PAGES, results[: len(PAGES)], strict=True)
            if page.throughput
        ]
        self.load_pass([(hello, None, ["hello"]), *pages])
        return hello

    def load_pass(self, runs):
        """wrk on each (result, cookie, expected texts) against one gunicorn."""
        load = {"duration": self.options["duration"], "connections": self.options["connections"]}
        with tempfile.TemporaryFile() as log:
            try:
                with loadgen.Gunicorn(
                    base_dir=settings.BASE_DIR,
                    database_url=self.database_url(),
                    secret_key=settings.SECRET_KEY,
                    log=log,
                    env={"MEDIA_ROOT": self.media_root},
                ) as server:
                    self.log(f"gunicorn on 127.0.0.1:{server.port}, {server.workers} workers")
                    for result, cookie, expect in runs:
                        for _ in range(4):  # warm both workers, and check the answer
                            status, body = loadgen.fetch(server.port, result.url, cookie)
                            texts = [t.decode() if isinstance(t, bytes) else t for t in expect]
                            if status != 200 or any(text not in body for text in texts):
                                raise CommandError(
                                    f"gunicorn: GET {result.url} answered {status} "
                                    "or lacked the expected content."
                                )
                        measured = loadgen.run_load(
                            self.wrk, server.port, result.url, cookie, **load
                        )
                        result.rps = measured.rps
                        result.load_errors += measured.errors
                        self.log(
                            f"{result.page}: {measured.rps:.0f} req/s "
                            f"({measured.requests} requests, {measured.errors} errors)"
                        )
            except Exception:
                log.seek(0)
                tail = log.read().decode(errors="replace")[-3000:]
                if tail:
                    self.log(f"gunicorn's log:\n{tail}")
                raise

    # Output -----------------------------------------------------------------------------------

    def pg_version(self):
        try:
            with self.admin_connection() as conn:
                return conn.execute("SHOW server_version").fetchone()[0]
        except psycopg.Error:
            return "?"
