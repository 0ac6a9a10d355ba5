"""The regional activity plan's pages: half-year and month views, the activity form, the
iCalendar feed's page, the printable plan and its demo data.

It sits above needs and measures (activities link to measures of need reports); its models
and their writes stay with the partnerships they belong to (partnerships/models_plan.py,
partnerships/services_plan.py), as does the iCalendar format (partnerships/ical.py).
"""
