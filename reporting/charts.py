"""Charts as inline SVG, rendered on the server: no JavaScript, no CDN, no inline CSS.

Each chart is `role="img"` with a <title> and <desc> (aria-labelledby); the page shows the
same numbers in a table next to it. Series differ by colour and by pattern (hatched bars,
dashed lines), so colour is never the only cue. Colours have at least 3:1 contrast on white.
"""

from html import escape as html_escape

from django.utils.safestring import mark_safe

from portal.money import format_kroner, group_digits

COLOURS = ["#1d3a5f", "#a8452b", "#2f6b3a", "#6b3a86"]
DASHES = ["", "6 4", "2 3", "8 3 2 3"]
FONT = 'font-family="system-ui, sans-serif" font-size="12" fill="#212529"'
WIDTH = 720


def escape(value):
    """Django's escaping (quotes too) without its lazy-string wrapper: charts escape a few
    hundred texts, and the wrapper was a third of their cost."""
    return html_escape(str(value))


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


def _open(chart_id, title, description, height):
    cid = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{cid}-title {cid}-desc" '
        f'id="{cid}" class="chart mw-100 h-auto">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
        "<defs>"
        + "".join(
            f'<pattern id="{cid}-hatch{i}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{colour}"/>'
            f'<rect width="2" height="6" fill="#ffffff" fill-opacity="0.55"/></pattern>'
            for i, colour in enumerate(COLOURS)
        )
        + "</defs>",
    ]


def _fill(chart_id, index):
    if index % 2 == 0:
        return COLOURS[index % len(COLOURS)]
    return f"url(#{escape(chart_id)}-hatch{index % len(COLOURS)})"


def _legend(chart_id, series, y, line=False):
    parts = []
    x = 10
    for i, (name, _values) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        if line:
            dash = DASHES[i % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 24}" y2="{y - 4}" stroke="{colour}" '
                f'stroke-width="3"{dash_attr}/>'
            )
            x += 30
        else:
            parts.append(
                f'<rect x="{x}" y="{y - 11}" width="14" height="14" '
                f'fill="{_fill(chart_id, i)}" stroke="{colour}"/>'
            )
            x += 20
        parts.append(f'<text x="{x}" y="{y}" {FONT}>{escape(name)}</text>')
        x += 14 + 7 * len(str(name))
    return parts


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

    parts = _open(chart_id, title, description, height)
    if len(series) > 1:
        parts += _legend(chart_id, series, 20)
    bottom = height - 24
    for tick in ticks:
        x = label_width + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#ced4da"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" {FONT}>'
            f"{escape(axis(tick))}</text>"
        )
    for row, label in enumerate(labels):
        y0 = top + row * (per_group + group_gap)
        parts.append(
            f'<text x="{label_width - 8}" y="{y0 + per_group / 2 + 4:.1f}" text-anchor="end" '
            f"{FONT}>{escape(_truncate(label))}</text>"
        )
        for i, (_name, values) in enumerate(series):
            value = values[row] or 0
            y = y0 + i * (bar + gap)
            width = value * scale
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{width:.1f}" height="{bar}" '
                f'fill="{_fill(chart_id, i)}" stroke="{COLOURS[i % len(COLOURS)]}"/>'
            )
            parts.append(
                f'<text x="{label_width + width + 4:.1f}" y="{y + bar - 4}" {FONT}>'
                f"{escape(value_format(value))}</text>"
            )
    parts.append(
        f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{bottom}" '
        f'stroke="#495057"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


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

    parts = _open(chart_id, title, description, height)
    parts += _legend(chart_id, series, 20, line=True)
    for tick in ticks:
        y = bottom - tick * y_scale
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#ced4da"/>'
        )
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" {FONT}>'
            f"{escape(short_kroner(tick))}</text>"
        )
    for index, label in enumerate(labels):
        parts.append(
            f'<text x="{x_at(index):.1f}" y="{bottom + 20}" text-anchor="middle" {FONT}>'
            f"{escape(label)}</text>"
        )
    for i, (name, values) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        points = [(x_at(index), bottom - (v or 0) * y_scale) for index, v in enumerate(values)]
        dash = DASHES[i % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="3"{dash_attr}/>'
            )
        for (x, y), label, value in zip(points, labels, values, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                f"<title>{escape(name)} {escape(label)}: {escape(value_format(value or 0))}"
                f"</title></circle>"
            )
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - right}" y2="{bottom}" stroke="#495057"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
