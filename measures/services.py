"""Writes to a report's measures. Each one locks the report (workflow action "edit"), so none
can land after the report was submitted, and keeps the stored totals and the UH confirmation
in step within the same transaction."""

from django.db.models import Max

from needs.collaboration import clear_confirmation_if_changed
from needs.models import Activity
from needs.services import editing, record_activity, save_if_current
from needs.totals import MEASURE_FIELDS, refresh_totals

from .models import Measure


def measure_create(*, report, user):
    with editing(report, user) as report:
        last = report.measures.aggregate(last=Max("position"))["last"] or 0
        measure = Measure.objects.create(report=report, position=last + 1)
        record_activity(
            report=report, actor=user, kind=Activity.Kind.MEASURE_ADDED, measure=measure
        )
    return measure


def measure_save(*, measure, user, values, expected_version):
    """Save `values` ({field: value}) on the measure if nobody saved it since
    `expected_version`. Returns (saved, the cleared UH confirmation or None)."""
    with editing(measure.report, user) as report:
        for name, value in values.items():
            setattr(measure, name, value)
        saved = save_if_current(measure, expected_version, list(values))
        if not saved:
            return _already_saved(measure, values), None
        if not values:
            return saved, None
        record_activity(
            report=report,
            actor=user,
            kind=Activity.Kind.MEASURE_EDITED,
            measure=measure,
            coalesce=True,
        )
        if MEASURE_FIELDS.intersection(values):
            refresh_totals(report, requested_only=True)
        return saved, clear_confirmation_if_changed(subject=report, user=user)


def _already_saved(measure, values):
    """A stale save whose values are all what is stored now overwrites nobody's work: it is
    what the page's own autosave saved a moment earlier (the "Save" click that follows
    typing). It counts as saved, on the stored version. Called under the report's lock."""
    stored = Measure.objects.filter(pk=measure.pk).values("lock_version", *values).first()
    if stored is None or any(stored[name] != value for name, value in values.items()):
        return False
    measure.lock_version = stored["lock_version"]
    return True


def measure_delete(*, measure, user):
    """Delete the measure. Returns the cleared UH confirmation or None."""
    with editing(measure.report, user) as report:
        deleted = (measure.pk, measure.name)
        measure.delete()
        record_activity(
            report=report,
            actor=user,
            kind=Activity.Kind.MEASURE_DELETED,
            measure=None,
            measure_name=measure.name,
        )
        refresh_totals(report)
        return clear_confirmation_if_changed(subject=report, user=user, deleted=deleted)


def measure_move(*, measure, user, up):
    """Swap the measure with the one above (`up`) or below it."""
    with editing(measure.report, user) as report:
        measures = list(report.measures.only("pk", "position"))
        index = next((i for i, m in enumerate(measures) if m.pk == measure.pk), None)
        target = None if index is None else index - 1 if up else index + 1
        if target is None or not 0 <= target < len(measures):
            return
        measures[index], measures[target] = measures[target], measures[index]
        for position, item in enumerate(measures, start=1):
            if item.position != position:
                Measure.objects.filter(pk=item.pk).update(position=position)
