"""Side-by-side differences between two snapshots of a need report."""

from measures.models import Measure

from .models import NeedReport

SKIP = {
    "id",
    "position",
    "lock_version",
    "updated_at",
    "is_continuation",
    "status",
    "return_message",
    "created_at",
}


def _label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - unknown keys in old snapshots are shown by name
        return name


def _diff(model, left, right):
    rows = []
    for name in left.keys() | right.keys():
        if name in SKIP:
            continue
        if left.get(name) != right.get(name):
            rows.append((_label(model, name), left.get(name), right.get(name)))
    return sorted(rows, key=lambda row: row[0])


def compare_snapshots(left, right):
    """{'report': [(field, left, right)], 'measures': [(name, state, rows)], 'totals': …}."""
    report_rows = _diff(NeedReport, left.get("report", {}), right.get("report", {}))
    left_measures = {m["id"]: m for m in left.get("measures", [])}
    right_measures = {m["id"]: m for m in right.get("measures", [])}
    measures = []
    for key in sorted(left_measures.keys() | right_measures.keys()):
        old, new = left_measures.get(key), right_measures.get(key)
        if old is None:
            measures.append((new["name"], "added", _diff(Measure, {}, new)))
        elif new is None:
            measures.append((old["name"], "removed", []))
        else:
            rows = _diff(Measure, old, new)
            if rows:
                measures.append((new["name"] or old["name"], "changed", rows))
    return {
        "report": report_rows,
        "measures": measures,
        "totals": (left.get("totals", {}), right.get("totals", {})),
    }
