"""What `manage.py bench` measures besides the pages (machine speed, percentiles) and the
Markdown it prints and writes to docs/benchmarks.md."""

import math
import os
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import django
from django.utils import timezone

MEDIAN_TARGET_MS = 20
THROUGHPUT_TARGET = 0.10
HELLO = "Hello world (baseline)"
WEASYPRINT = "WeasyPrint alone, same HTML (baseline)"


@dataclass
class Result:
    page: str
    user: str = ""
    url: str = ""
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    rps: float | None = None  # under gunicorn, every request rendered
    load_errors: int = 0
    target_ms: float | None = None
    target_note: str = ""  # how the target was set, when it is not a fixed time


def percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def load_average():
    return " / ".join(f"{n:.2f}" for n in os.getloadavg())


def cpu_times():
    """The machine's CPU time counters since boot (the "cpu" line of /proc/stat), or None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    return [int(v) for v in fields[1:]] if fields and fields[0] == "cpu" else None


def steal_percent(start, end):
    """The share of CPU time a hypervisor gave to other guests between two `cpu_times()`:
    what a load average does not show, and what makes a virtual machine slower than its
    cores suggest. None when unknown."""
    if not start or not end or len(start) < 8 or len(end) < 8:
        return None
    deltas = [b - a for a, b in zip(start[:8], end[:8], strict=True)]
    return 100 * deltas[7] / sum(deltas) if sum(deltas) else None


def python_reference_ms(rounds=5):
    """Best of `rounds` for a fixed pure-Python loop (a million additions): the speed of this
    machine at what the pages spend most of their time on. Smaller is faster."""
    best = math.inf
    for _ in range(rounds):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best * 1000


def round_trip_us(connection, count=300):
    """Median time of `SELECT 1` through Django on `connection`: the cost of one query
    before any work."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(count):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def speed_line(python_ms, round_trip, steal):
    steal_text = "unknown" if steal is None else f"{steal:.0f} %"
    return (
        f"- Speed: a pure-Python reference loop (a million additions) {python_ms:.0f} ms, "
        f"a PostgreSQL round trip (SELECT 1) {round_trip:.0f} µs; CPU steal during the run "
        f"{steal_text} (compare these before comparing runs of different days or machines)"
    )


def machine():
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cpu, cores, memory


def render_markdown(results, runs, *, pages, options, elapsed, load_average, pg_version, speed=""):
    """The whole docs/benchmarks.md: machine, targets and one table per scale."""
    cpu, cores, memory = machine()
    scales = list(results)
    compare = len(scales) > 1
    queries = {
        scale: {r.page: r.queries for r in rows if r.queries is not None}
        for scale, rows in results.items()
    }
    first = runs[scales[0]]
    load = (
        "skipped"
        if options["no_throughput"]
        else f"{first.get('load_tool')}, {options['connections']} connections, "
        f"{options['duration']} s per page, gunicorn with 2 sync workers; each user sends "
        "its session and CSRF cookies, as a browser does; every request rendered"
    )
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`manage.py bench`; options via `BENCH_ARGS`, e.g. "
        "`make bench BENCH_ARGS=--compare-scales`). Do not edit by hand.",
        "",
        f"- Date: {timezone.localtime():%Y-%m-%d %H:%M %Z}",
        f"- Machine: {cores} cores (nproc), {cpu}, {memory} memory; load average "
        f"{load_average} (1 / 5 / 15 min; other work on the machine skews the figures)",
        *([speed] if speed else []),
        f"- Software: Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {pg_version} on the same machine",
        f"- Scale: {', '.join(f'{s}×' for s in scales)}" + (" (compared)" if compare else ""),
        f"- Timing: Django test client in one process, DEBUG off, {options['warmup']} "
        f"warm-up requests then {options['repeat']} timed; queries counted on one request; "
        "every request rendered",
        f"- Throughput: {load}",
        f"- Run time: {elapsed:.0f} s in all",
        "",
        "Targets: median ≤ 20 ms per main page; the measures XLSX of a county-year of 300 "
        "reports ≤ 2 s; the PDF of the seed report ≤ 1.2× WeasyPrint rendering the same HTML; "
        "throughput ≥ 10 % of hello-world (pages, not the slow downloads); "
        "query counts equal at 1× and 10×"
        + ("." if compare else " (checked with `--compare-scales`)."),
        "",
    ]
    for scale in scales:
        run = runs[scale]
        counts = ", ".join(f"{v} {k}" for k, v in run["counts"].items())
        lines += [
            f"## Scale {scale}×",
            "",
            f"Data: {counts} (generated in {run['generate_s']:.1f} s, "
            f"migrations {run['migrate_s']:.1f} s).",
            "",
        ]
        lines += table(results[scale], queries if compare else None)
        lines.append("")
    if compare:
        same = all(queries[scales[0]].get(p.name) == queries[scales[1]].get(p.name) for p in pages)
        lines.append(
            f"Query counts at {scales[0]}× and {scales[1]}×: "
            + ("equal on every page ✓" if same else "differ ✗ (see the table)")
        )
        lines.append("")
    return "\n".join(lines)


def table(rows, queries):
    hello = next((r.rps for r in rows if r.page == HELLO), None)
    header = ["page", "user", "median ms", "p95 ms", "queries", "req/s", "ratio to hello"]
    header += ["median target", "≥ 10 % of hello"]
    if queries:
        header.append("queries 1× = 10×")
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]

    def fmt(value, pattern):
        return "–" if value is None else format(value, pattern)

    def mark(ok):
        return "–" if ok is None else ("✓" if ok else "✗")

    for r in rows:
        ratio = r.rps / hello if r.rps is not None and hello and r.page != HELLO else None
        ok_median = (
            None if r.median_ms is None or r.target_ms is None else r.median_ms <= r.target_ms
        )
        if r.target_ms is None:
            target = "–"
        elif r.target_note:
            target = f"{r.target_note} ({r.target_ms:.0f} ms) {mark(ok_median)}"
        else:
            target = f"≤ {r.target_ms:.0f} ms {mark(ok_median)}"
        ok_rps = None if ratio is None else (ratio >= THROUGHPUT_TARGET and not r.load_errors)
        cells = [
            r.page,
            r.user or "–",
            fmt(r.median_ms, ".1f"),
            fmt(r.p95_ms, ".1f"),
            fmt(r.queries, "d"),
            fmt(r.rps, ".0f") + (f" ({r.load_errors} errors)" if r.load_errors else ""),
            "–" if ratio is None else f"{ratio:.1%}",
            target,
            mark(ok_rps),
        ]
        if queries:
            counts = [queries[s].get(r.page) for s in queries]
            cells.append("–" if r.queries is None else mark(len(set(counts)) == 1))
        out.append("| " + " | ".join(cells) + " |")
    return out


MARK = "<!-- {name}: written by manage.py {name} -->"


def write_section(path, name, markdown):
    """Write `markdown` as the file's `name` section ("bench", "export" or "loadtest"), keeping
    the others.

    The bench section comes first, then the bulk export's, the load test last; each run
    rewrites only its own.
    """
    names = ["bench", "export", "loadtest"]
    sections = {}
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if MARK.format(name="bench") not in text and text:
        text = MARK.format(name="bench") + "\n" + text  # a file from before the sections
    for i, section in enumerate(names):
        start = text.find(MARK.format(name=section))
        if start < 0:
            continue
        ends = [text.find(MARK.format(name=n)) for n in names[i + 1 :]]
        ends = [e for e in ends if e > start]
        sections[section] = text[start : min(ends) if ends else len(text)].strip()
    sections[name] = MARK.format(name=name) + "\n" + markdown.strip()
    body = "\n\n".join(sections[n] for n in names if n in sections)
    path.write_text(body + "\n", encoding="utf-8")
