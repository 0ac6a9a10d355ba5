"""Forms of the activity plan: the activity itself, and the filters of the plan views."""

from django import forms
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from partnerships.models_plan import PlannedActivity, local_datetime
from portal.forms import style_fields
from portal.params import FIRST_YEAR, LAST_YEAR, parse_int

from .selectors import AUTUMN, SPRING, measure_choices

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
# Measures of need reports this many years before the partnership's latest are offered.
MEASURE_YEARS = 2
# The years the plan views accept.


def measure_label(measure):
    """'Dekom 2024: Kompetansedag …' (the measure with its need report's scheme and year)."""
    return f"{measure.report.scheme.short_name} {measure.report.year}: {measure}"


class MeasureChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return measure_label(obj)


class MeasureFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return measure_label(obj)


class PlannedActivityForm(forms.ModelForm):
    start_date = forms.DateField(
        label=_("Date"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_time = forms.TimeField(
        label=_("From (time)"),
        required=False,
        input_formats=TIME_INPUT_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Leave both times empty for an activity that lasts all day."),
    )
    end_date = forms.DateField(
        label=_("Last day"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Only if the activity lasts more than one day."),
    )
    end_time = forms.TimeField(
        label=_("To (time)"),
        required=False,
        input_formats=TIME_INPUT_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    measures = MeasureChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Measures that fund the activity"),
    )

    class Meta:
        model = PlannedActivity
        fields = [
            "title",
            "kind",
            "place",
            "online",
            "theme",
            "participants",
            "responsible",
            "preparation",
            "notes",
            "measures",
        ]
        widgets = {
            "participants": forms.Textarea(attrs={"rows": 2}),
            "responsible": forms.Textarea(attrs={"rows": 2}),
            "preparation": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "theme": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partnership, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = self._measures(partnership, user)
        self.fields["kind"].choices = PlannedActivity.Kind.choices
        activity = self.instance
        if activity.pk:
            self.initial.update(
                {
                    "start_date": activity.start_date,
                    "start_time": activity.start_time,
                    "end_date": activity.end_date if activity.several_days else None,
                    "end_time": activity.end_time,
                }
            )
        style_fields(self)

    def _measures(self, partnership, user):
        """The partnership's measures of recent years, and those already linked."""
        measures = measure_choices(user, partnership)
        latest = measures.aggregate(latest=Max("report__year"))["latest"]
        recent = Q(report__year__gte=(latest or 0) - MEASURE_YEARS)
        if self.instance.pk:
            recent |= Q(planned_activities=self.instance)
        return measures.filter(recent).distinct()

    def clean(self):
        data = super().clean()
        start_date, end_date = data.get("start_date"), data.get("end_date")
        start_time, end_time = data.get("start_time"), data.get("end_time")
        if start_date is None or any(
            name in self.errors for name in ("end_date", "start_time", "end_time")
        ):
            return data
        end_date = end_date or start_date
        if (start_time is None) != (end_time is None):
            missing = "end_time" if end_time is None else "start_time"
            self.add_error(
                missing,
                _(
                    "Give both a start and an end time, or neither for an activity that lasts "
                    "all day."
                ),
            )
            return data
        activity = self.instance
        activity.all_day = start_time is None
        activity.starts_at = local_datetime(start_date, start_time)
        activity.ends_at = local_datetime(end_date, end_time)
        if activity.ends_at < activity.starts_at:
            field = "end_date" if end_date < start_date else "end_time"
            self.add_error(
                field,
                _("The activity ends before it starts: check the last day and the times."),
            )
        return data


class PlanFilterForm(forms.Form):
    """The filters of the half-year and month views. Values that do not fit are ignored."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    half = forms.ChoiceField(
        label=_("Half-year"),
        required=False,
        choices=[(SPRING, _("Spring")), (AUTUMN, _("Autumn"))],
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        required=False,
        choices=[(m, m) for m in range(1, 13)],
    )
    partnership = forms.ModelChoiceField(
        label=_("Partnership"), queryset=None, required=False, empty_label=_("All partnerships")
    )
    measure = MeasureFilterField(
        label=_("Measure"), queryset=None, required=False, empty_label=_("All measures")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, data, *, partnerships, user, years, month_names):
        super().__init__(data)
        asked = parse_int(self.data.get("year"), low=FIRST_YEAR, high=LAST_YEAR)
        if asked is not None:
            years = sorted({*years, asked})  # paging past the years with activities
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["month"].choices = list(month_names.items())
        self.fields["partnership"].queryset = partnerships
        self.fields["kind"].choices = [("", _("All kinds")), *PlannedActivity.Kind.choices]
        # Measures are offered (and accepted) once a partnership is chosen.
        chosen = self._chosen_partnership(partnerships)
        measures = measure_choices(user, chosen)
        self.fields["measure"].queryset = measures if chosen is not None else measures.none()
        style_fields(self)

    def _chosen_partnership(self, partnerships):
        value = parse_int(self.data.get("partnership"), low=1)
        if value is None:
            return None
        return partnerships.filter(pk=value).first()

    def value(self, name):
        """The cleaned value, or None when it was missing or did not validate."""
        if not self.is_valid() and name in self.errors:
            return None
        return self.cleaned_data.get(name) or None
