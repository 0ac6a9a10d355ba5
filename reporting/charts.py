"""Charts as inline SVG, rendered on the server: no JavaScript, no CDN, no inline CSS.

The geometry is computed here; the markup is in templates/reporting/charts/*.svg, which a
Chart renders itself through (`{{ chart }}` in a template).

Each chart is `role="img"` with a <title> and <desc> (aria-labelledby); the page shows the
same numbers in a table next to it. Series differ by colour and by pattern (hatched bars,
dashed lines), so colour is never the only cue. Colours have at least 3:1 contrast on white.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string

from portal.money import format_kroner, group_digits

COLOURS = ["#1d3a5f", "#a8452b", "#2f6b3a", "#6b3a86"]
DASHES = ["", "6 4", "2 3", "8 3 2 3"]
WIDTH = 720


def short_kroner(value):
    """Axis labels: '1,5 mill.' for millions, grouped digits below."""
    if value >= 1_000_000:
        tenths = (value * 10 + 500_000) // 1_000_000
        whole, frac = divmod(tenths, 10)
        return f"{whole} mill." if frac == 0 else f"{whole},{frac} mill."
    return group_digits(value)


def count_label(value):
    return str(value)


def nice_ticks(maximum, count=4):
    """Round tick values from 0 up to at least `maximum` (1, 2, 2.5, 5 × 10^n steps)."""
    if maximum <= 0:
        return [0, 1]
    raw = -(-maximum // count)
    magnitude = 1
    while magnitude * 10 <= raw:
        magnitude *= 10
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    if step < 1:
        step = 1
    top = -(-maximum // step) * step
    return list(range(0, top + 1, step))


def _truncate(text, length=26):
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _f(number):
    """A coordinate as the SVG shows it: one decimal."""
    return f"{number:.1f}"


@dataclass
class Chart:
    """What a chart template draws; `{{ chart }}` renders it."""

    template_name: str
    chart_id: str
    title: str
    description: str
    height: int
    width: int = WIDTH
    legend: list = field(default_factory=list)
    ticks: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    marks: list = field(default_factory=list)
    axis: dict = field(default_factory=dict)

    @property
    def patterns(self):
        return [(f"{self.chart_id}-hatch{i}", colour) for i, colour in enumerate(COLOURS)]

    def __str__(self):
        return render_to_string(self.template_name, {"chart": self})

    __html__ = __str__


def _fill(chart_id, index):
    if index % 2 == 0:
        return COLOURS[index % len(COLOURS)]
    return f"url(#{chart_id}-hatch{index % len(COLOURS)})"


def _legend(chart_id, series, y, line=False):
    """Legend entries: a swatch (a bar, or a line with its dashes) and the series' name."""
    items = []
    x = 10
    for i, (name, _values) in enumerate(series):
        item = {"colour": COLOURS[i % len(COLOURS)], "x": x, "y": y, "name": name}
        if line:
            item.update(line=True, x2=x + 24, line_y=y - 4, dash=DASHES[i % len(DASHES)])
            x += 30
        else:
            item.update(swatch_y=y - 11, fill=_fill(chart_id, i))
            x += 20
        item["text_x"] = x
        items.append(item)
        x += 14 + 7 * len(str(name))
    return items


def bar_chart(*, chart_id, title, description, labels, series, value_format=format_kroner):
    """Horizontal bars, grouped per label: series is [(name, [value per label]), …]."""
    label_width, value_width, bar, gap, group_gap = 190, 120, 16, 2, 14
    plot_width = WIDTH - label_width - value_width
    per_group = len(series) * (bar + gap) - gap
    top = 40 if len(series) > 1 else 14
    height = top + len(labels) * (per_group + group_gap) + 28
    maximum = max((v for _name, values in series for v in values), default=0)
    ticks = nice_ticks(maximum)
    scale = plot_width / ticks[-1]
    axis = count_label if value_format is count_label else short_kroner
    bottom = height - 24

    chart = Chart("reporting/charts/bar.svg", chart_id, title, description, height)
    if len(series) > 1:
        chart.legend = _legend(chart_id, series, 20)
    chart.ticks = [{"x": _f(label_width + tick * scale), "label": axis(tick)} for tick in ticks]
    chart.axis = {"x": label_width, "top": top - 4, "bottom": bottom, "label_y": bottom + 16}
    for row, label in enumerate(labels):
        y0 = top + row * (per_group + group_gap)
        chart.labels.append(
            {"x": label_width - 8, "y": _f(y0 + per_group / 2 + 4), "text": _truncate(label)}
        )
        for i, (_name, values) in enumerate(series):
            value = values[row] or 0
            y = y0 + i * (bar + gap)
            width = value * scale
            chart.marks.append(
                {
                    "x": label_width,
                    "y": y,
                    "width": _f(width),
                    "height": bar,
                    "fill": _fill(chart_id, i),
                    "stroke": COLOURS[i % len(COLOURS)],
                    "text_x": _f(label_width + width + 4),
                    "text_y": y + bar - 4,
                    "text": value_format(value),
                }
            )
    return chart


def line_chart(*, chart_id, title, description, labels, series, value_format=format_kroner):
    """Lines over the labels (years) on the x axis: series is [(name, [value per label]), …]."""
    left, right, top, height = 90, 30, 40, 300
    bottom = height - 34
    plot_width = WIDTH - left - right
    maximum = max((v for _name, values in series for v in values), default=0)
    ticks = nice_ticks(maximum)
    y_scale = (bottom - top) / ticks[-1]
    step = plot_width / max(len(labels) - 1, 1)

    def x_at(index):
        return left + (index * step if len(labels) > 1 else plot_width / 2)

    chart = Chart("reporting/charts/line.svg", chart_id, title, description, height)
    chart.legend = _legend(chart_id, series, 20, line=True)
    chart.axis = {"left": left, "right": WIDTH - right, "bottom": bottom}
    chart.ticks = [
        {"y": _f(bottom - tick * y_scale), "label_y": _f(bottom - tick * y_scale + 4),
         "label": short_kroner(tick)}
        for tick in ticks
    ]  # fmt: skip
    chart.labels = [
        {"x": _f(x_at(index)), "y": bottom + 20, "text": label}
        for index, label in enumerate(labels)
    ]
    for i, (name, values) in enumerate(series):
        points = [(x_at(index), bottom - (v or 0) * y_scale) for index, v in enumerate(values)]
        chart.marks.append(
            {
                "colour": COLOURS[i % len(COLOURS)],
                "dash": DASHES[i % len(DASHES)],
                "path": " ".join(f"{_f(x)},{_f(y)}" for x, y in points) if len(points) > 1 else "",
                "points": [
                    {"x": _f(x), "y": _f(y), "title": f"{name} {label}: {value_format(v or 0)}"}
                    for (x, y), label, v in zip(points, labels, values, strict=True)
                ],
            }
        )
    return chart
