"""Side-by-side differences between two snapshots of a need report."""

import datetime

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from measures.models import Measure
from portal.money import format_kroner, group_digits

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


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - unknown keys in old snapshots
        return None


def _internal(model, name):
    """Bookkeeping a reader has no use for: ids, who decided (a user id), relations."""
    field = _field(model, name)
    return (
        name in SKIP
        or name.endswith(("_id", "_by", "_at"))
        or (field is not None and field.is_relation)
    )


def _label(model, name):
    field = _field(model, name)
    return capfirst(str(field.verbose_name)) if field is not None else capfirst(name)


def _value(model, name, value):
    """The value as the pages show it: Ja/Nei, the choice's label, dates as 05.12.2026."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    field = _field(model, name)
    if isinstance(value, int):
        return format_kroner(value) if "amount" in name else group_digits(value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value[:10]).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return value


def _diff(model, left, right):
    rows = []
    for name in left.keys() | right.keys():
        if _internal(model, name):
            continue
        if left.get(name) != right.get(name):
            rows.append(
                (
                    _label(model, name),
                    _value(model, name, left.get(name)),
                    _value(model, name, right.get(name)),
                )
            )
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
