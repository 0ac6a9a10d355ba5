"""The pieces of `make bench` / `make load` that are cheap to test (the runs themselves are
not part of `make test`: they build national-scale data and take minutes)."""

from bench.concurrency import FormFields, Stats
from bench.figures import (
    Result,
    cpu_times,
    python_reference_ms,
    speed_line,
    steal_percent,
    table,
    write_section,
)


def test_write_section_keeps_the_other_section(tmp_path):
    path = tmp_path / "benchmarks.md"
    write_section(path, "bench", "# Benchmarks\n\nfirst")
    write_section(path, "loadtest", "## Load test\n\nok")
    write_section(path, "bench", "# Benchmarks\n\nsecond")
    text = path.read_text()
    assert "second" in text and "first" not in text
    assert text.index("# Benchmarks") < text.index("## Load test")
    write_section(path, "loadtest", "## Load test\n\nagain")
    text = path.read_text()
    assert "again" in text and "ok" not in text and "second" in text


def test_write_section_adopts_a_file_from_before_the_sections(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\nold run\n")
    write_section(path, "loadtest", "## Load test\n\nnew")
    text = path.read_text()
    assert "old run" in text and "new" in text


def test_table_marks_targets_and_throughput():
    rows = [
        Result("Fast page", "officer", "/", 12.0, 15.0, 8, rps=300, target_ms=20),
        Result("Slow page", "officer", "/", 25.0, 30.0, 8, rps=100, target_ms=20),
        Result("PDF", "x", "/", 100.0, 120.0, 9, target_ms=96.0, target_note="≤ 1.2× WeasyPrint"),
        Result("Hello world (baseline)", rps=2000),
    ]
    lines = table(rows, None)
    fast, slow, pdf_row = lines[2], lines[3], lines[4]
    assert "≤ 20 ms ✓" in fast and "15.0%" in fast and fast.endswith("✓ |")
    assert "≤ 20 ms ✗" in slow and slow.endswith("✗ |")
    assert "≤ 1.2× WeasyPrint (96 ms) ✗" in pdf_row


def test_table_shows_throughput_as_a_share_of_hello_world():
    rows = [
        Result("Page", "officer", "/", 9.0, 11.0, 6, rps=900, target_ms=20),
        Result("Slow page", "officer", "/", 9.0, 11.0, 6, rps=150, target_ms=20),
        Result("Hello world (baseline)", rps=3000),
    ]
    header, _, page, slow = table(rows, None)[:4]
    names = [c.strip() for c in header.strip("|").split("|")]
    assert not any("cache" in name for name in names)  # every request is rendered
    columns = dict(zip(names, [c.strip() for c in page.strip("|").split("|")], strict=True))
    assert columns["median ms"] == "9.0" and columns["queries"] == "6"
    assert columns["req/s"] == "900" and columns["ratio to hello"] == "30.0%"
    assert columns["≥ 10 % of hello"] == "✓"
    columns = dict(zip(names, [c.strip() for c in slow.strip("|").split("|")], strict=True))
    assert columns["ratio to hello"] == "5.0%" and columns["≥ 10 % of hello"] == "✗"


def test_form_fields_reads_the_autosave_form_like_formdata():
    parser = FormFields()
    parser.feed(
        '<form method="get"><input name="q" value="not this"></form>'
        '<form method="post" data-autosave>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="t">'
        '<input name="owner_amount" value="50&nbsp;000">'
        '<input type="checkbox" name="spring" checked><input type="checkbox" name="autumn">'
        '<select name="purpose"><option value="a">A</option>'
        '<option value="b" selected>B</option></select>'
        '<select name="empty"><option value="x">X</option></select>'
        '<textarea name="uh_use">Veiledning &amp; samlinger</textarea>'
        '<button type="submit" name="go">Lagre</button></form>'
    )
    assert parser.fields == {
        "csrfmiddlewaretoken": "t",
        "owner_amount": "50\u00a0000",
        "spring": "on",
        "purpose": "b",
        "empty": "x",
        "uh_use": "Veiledning & samlinger",
    }


def test_stats_summary():
    stats = Stats(times=[10.0, 20.0, 30.0, 400.0], errors=["GET /: 500"])
    summary = stats.summary()
    assert summary["requests"] == 5 and summary["errors"] == 1
    assert summary["median_ms"] == 25.0 and summary["p95_ms"] == 400.0


def test_steal_percent_is_the_steal_share_of_all_cpu_time_between_two_readings():
    # user nice system idle iowait irq softirq steal (guest, guest_nice follow and are in user)
    start = [100, 0, 50, 800, 10, 0, 0, 40, 0, 0]
    end = [160, 0, 70, 900, 10, 0, 0, 100, 0, 0]  # 240 ticks, 60 of them stolen
    assert steal_percent(start, end) == 25
    assert steal_percent(start, start) is None  # no time passed
    assert steal_percent(None, end) is None
    assert steal_percent([1, 2, 3], [4, 5, 6]) is None  # no steal column (old kernels)


def test_speed_figures_are_measured_and_written_out():
    times = cpu_times()
    assert times is None or len(times) >= 8
    assert 0 < python_reference_ms(rounds=1) < 10_000
    line = speed_line(123.4, 256.7, 12.6)
    assert "reference loop (a million additions) 123 ms" in line
    assert "(SELECT 1) 257 µs" in line and "steal during the run 13 %" in line
    assert "steal during the run unknown" in speed_line(1, 2, None)
