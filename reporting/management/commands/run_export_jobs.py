"""`manage.py run_export_jobs`: the worker that builds queued PDF exports (ZIP files).

Run one next to the web server (same database, same MEDIA_ROOT). `--once` builds what is
queued and exits (for cron or tests); without it the worker keeps polling the queue.
Several workers may run at once: each job is claimed with SELECT … FOR UPDATE SKIP LOCKED.
"""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from reporting.tasks import process_queued


class Command(BaseCommand):
    help = "Build queued PDF exports. --once: process the queue and exit."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Empty the queue, then exit.")
        parser.add_argument(
            "--sleep", type=float, default=2.0, help="Seconds between polls when idle."
        )

    def handle(self, *args, once=False, sleep=2.0, **options):
        while True:
            count = process_queued()
            if count and options["verbosity"] > 0:
                self.stdout.write(f"Built {count} export(s).")
            if once:
                return
            # A long-running worker drops broken or expired connections between polls.
            close_old_connections()
            if not count:
                time.sleep(sleep)
