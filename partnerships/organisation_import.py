"""The organisation import: a file is read into a plan (per row: new, or an update of an
organisation the user may change, with every field old → new), shown as a preview, and
applied only when confirmed, all rows or none.

An import never erases: an empty cell keeps the stored value, a row can only create an
organisation or update one in Organisation.objects.editable_by(user) (matched by org.nr),
the same org.nr twice in a file is refused with both row numbers, and the kind of an
organisation a partnership uses is not changed. Row numbers are the spreadsheet's: the
heading is row 1, the first organisation row 2.
"""

import csv
import io
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.spreadsheets import ImportFailed, RowError, read_rows

from .identifiers import format_account_number, format_org_number, normalize
from .models import ContactPerson, LanguageForm, Organisation
from .services import organisation_changed, watched_values

NAME, KIND, ORG_NUMBER = "Navn", "Type", "Organisasjonsnummer"
ACCOUNT, REFERENCE, LANGUAGE = "Kontonummer", "Merking", "Målform"
CONTACT, CONTACT_ROLE, CONTACT_PHONE, CONTACT_EMAIL = (
    "Kontaktperson",
    "Kontaktperson rolle",
    "Kontaktperson telefon",
    "Kontaktperson e-post",
)
HEADERS = [
    NAME,
    KIND,
    ORG_NUMBER,
    ACCOUNT,
    REFERENCE,
    LANGUAGE,
    CONTACT,
    CONTACT_ROLE,
    CONTACT_PHONE,
    CONTACT_EMAIL,
]
ALIASES = {
    "org.nr": ORG_NUMBER,
    "org.nr.": ORG_NUMBER,
    "orgnr": ORG_NUMBER,
    "organisasjonsnr": ORG_NUMBER,
    "kontonr": ACCOUNT,
    "kontakt": CONTACT,
    "rolle": CONTACT_ROLE,
    "funksjon": CONTACT_ROLE,
    "telefon": CONTACT_PHONE,
    "e-post": CONTACT_EMAIL,
    "epost": CONTACT_EMAIL,
}
# Organisation fields by column, in the order the preview lists them.
ORG_COLUMNS = {
    NAME: "name",
    KIND: "kind",
    ACCOUNT: "account_number",
    REFERENCE: "payment_reference",
    LANGUAGE: "language_form",
}
CONTACT_COLUMNS = {
    CONTACT: "name",
    CONTACT_ROLE: "role",
    CONTACT_PHONE: "phone",
    CONTACT_EMAIL: "email",
}

KIND_WORDS = {
    "kommune": Organisation.Kind.MUNICIPALITY,
    "municipality": Organisation.Kind.MUNICIPALITY,
    "fylkeskommune": Organisation.Kind.COUNTY_MUNICIPALITY,
    "county_municipality": Organisation.Kind.COUNTY_MUNICIPALITY,
    "privat": Organisation.Kind.PRIVATE_OWNER,
    "privat eier": Organisation.Kind.PRIVATE_OWNER,
    "private_owner": Organisation.Kind.PRIVATE_OWNER,
    "uh": Organisation.Kind.UH,
    "universitet": Organisation.Kind.UH,
    "høgskole": Organisation.Kind.UH,
    "universitet eller høgskole": Organisation.Kind.UH,
}
LANGUAGE_FORM_WORDS = {
    "bokmål": LanguageForm.NB,
    "bokmal": LanguageForm.NB,
    "nb": LanguageForm.NB,
    "nynorsk": LanguageForm.NN,
    "nn": LanguageForm.NN,
}
MAX_ROWS = 2000
UNKNOWN_KIND = _lazy("Unknown kind “%(value)s”. Use kommune, fylkeskommune, privat eier or UH.")


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class RowPlan:
    row: int
    org_number: str
    organisation: Organisation  # unsaved changes set on it
    is_new: bool
    name_before: str = ""
    changes: list = field(default_factory=list)
    contact: ContactPerson | None = None
    kind_before: str = ""
    watched_before: dict = field(default_factory=dict)

    @property
    def unchanged(self):
        return not self.is_new and not self.changes


@dataclass
class Plan:
    rows: list
    errors: list

    @property
    def totals(self):
        new = sum(1 for r in self.rows if r.is_new)
        unchanged = sum(1 for r in self.rows if r.unchanged)
        return {"new": new, "update": len(self.rows) - new - unchanged, "skip": unchanged}


# Reading ---------------------------------------------------------------------------------


def read_organisation_file(upload):
    """A Dataset with the template's headings from a CSV (comma or semicolon, UTF-8 with or
    without BOM, or Windows-1252) or XLSX upload, read as a stream with the size limits of
    portal.spreadsheets.read_rows; ValueError if unreadable or too large."""
    headers, rows = read_rows(upload, max_rows=MAX_ROWS)
    known = {h.lower(): h for h in HEADERS} | ALIASES
    headers = [known.get(_text(h).lower(), _text(h)) for h in headers]
    if ORG_NUMBER not in headers:
        raise ValueError(
            _("The file has no column “%(name)s”. Use the column headings of the template.")
            % {"name": ORG_NUMBER}
        )
    if not rows:
        raise ValueError(_("The file has no organisations."))
    width = len(headers)
    rows = [[_text(v) for v in (list(row) + [None] * width)[:width]] for row in rows]
    return tablib.Dataset(*rows, headers=headers)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def template_dataset():
    return tablib.Dataset(headers=HEADERS, title="Organisasjoner")


def template_csv():
    """The template as Norwegian Excel opens it: UTF-8 with a BOM, semicolons."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    return "\ufeff" + out.getvalue()


# Planning --------------------------------------------------------------------------------


def _display(name, value):
    if name == "kind":
        return str(Organisation.Kind(value).label) if value else ""
    if name == "language_form":
        return str(LanguageForm(value).label) if value else ""
    if name == "account_number":
        return format_account_number(value)
    if name == "org_number":
        return format_org_number(value)
    return value or ""


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _validation_errors(row, exc, model):
    errors = []
    for name, messages in exc.message_dict.items():
        label = _label(model, name) if name != "__all__" else ""
        errors += [RowError(row, label, str(m)) for m in messages]
    return errors


def plan_import(dataset, *, user):
    """What importing `dataset` would do, row by row, and the errors that stop it."""
    records = [
        (number, {h: _text(v) for h, v in zip(dataset.headers, values, strict=False)})
        for number, values in enumerate(dataset, start=2)
    ]
    records = [(n, r) for n, r in records if any(r.values())]
    numbers = [normalize(r.get(ORG_NUMBER)) for _n, r in records]
    existing = {
        o.org_number: o
        for o in Organisation.objects.filter(
            org_number__in=[n for n in numbers if n]
        ).prefetch_related("contacts")
    }
    editable = set(
        Organisation.objects.editable_by(user)
        .filter(pk__in=[o.pk for o in existing.values()])
        .values_list("pk", flat=True)
    )
    used = set(
        Organisation.objects.in_use()
        .filter(pk__in=[o.pk for o in existing.values()])
        .values_list("pk", flat=True)
    )
    first_row = {}
    plan = Plan(rows=[], errors=[])
    for (number, record), org_number in zip(records, numbers, strict=True):
        row_errors = _plan_row(
            plan, number, record, org_number, existing, editable, used, first_row
        )
        plan.errors += row_errors
    plan.errors.sort(key=lambda e: e.row)
    return plan


def _plan_row(plan, number, record, org_number, existing, editable, used, first_row):
    org_label = _label(Organisation, "org_number")
    if not org_number:
        return [RowError(number, org_label, _("The organisation number is missing."))]
    if org_number in first_row:
        return [
            RowError(
                number,
                org_label,
                _(
                    "Organisation number %(number)s is on both row %(first)d and row %(row)d. "
                    "Each organisation may be on one row only."
                )
                % {
                    "number": format_org_number(org_number),
                    "first": first_row[org_number],
                    "row": number,
                },
            )
        ]
    first_row[org_number] = number
    stored = existing.get(org_number)
    if stored is not None and stored.pk not in editable:
        return [
            RowError(
                number,
                org_label,
                _(
                    "You may not change %(name)s (org. no. %(number)s): it belongs to "
                    "another county office, or is used across counties and only an "
                    "administrator can change it."
                )
                % {"name": stored.name, "number": format_org_number(org_number)},
            )
        ]
    errors = []
    values = {}
    for column, name in ORG_COLUMNS.items():
        cell = record.get(column, "")
        if not cell:
            continue  # an empty cell keeps what is stored
        if name == "kind":
            kind = KIND_WORDS.get(cell.lower())
            if kind is None:
                errors.append(
                    RowError(
                        number,
                        _label(Organisation, "kind"),
                        UNKNOWN_KIND % {"value": cell},
                    )
                )
                continue
            cell = kind
        elif name == "language_form":
            form = LANGUAGE_FORM_WORDS.get(cell.lower())
            if form is None:
                errors.append(
                    RowError(
                        number,
                        _label(Organisation, "language_form"),
                        _("Unknown language form “%(value)s”. Use bokmål or nynorsk.")
                        % {"value": cell},
                    )
                )
                continue
            cell = form
        elif name == "account_number":
            cell = normalize(cell)
        values[name] = cell
    organisation = stored or Organisation(org_number=org_number)
    plan_row = RowPlan(
        row=number,
        org_number=org_number,
        organisation=organisation,
        is_new=stored is None,
        name_before=stored.name if stored else "",
        kind_before=stored.kind if stored else "",
        watched_before=watched_values(stored) if stored else {},
    )
    if stored is None:
        for name in ("name", "kind"):
            if name not in values and not any(
                e.field == _label(Organisation, name) for e in errors
            ):
                errors.append(
                    RowError(
                        number,
                        _label(Organisation, name),
                        _("Fill in this column for a new organisation."),
                    )
                )
    elif values.get("kind", stored.kind) != stored.kind and stored.pk in used:
        errors.append(
            RowError(
                number,
                _label(Organisation, "kind"),
                _(
                    "A partnership uses %(name)s: its kind cannot be changed by an import "
                    "(from “%(old)s” to “%(new)s”)."
                )
                % {
                    "name": stored.name,
                    "old": _display("kind", stored.kind),
                    "new": _display("kind", values["kind"]),
                },
            )
        )
    for name, value in values.items():
        old = getattr(organisation, name) if stored else ""
        if value != old:
            plan_row.changes.append(
                Change(_label(Organisation, name), _display(name, old), _display(name, value))
            )
            setattr(organisation, name, value)
    if stored is None:
        plan_row.changes.insert(
            0, Change(_label(Organisation, "org_number"), "", format_org_number(org_number))
        )
    if not errors:
        try:
            organisation.full_clean(validate_unique=stored is None)
        except ValidationError as exc:
            errors += _validation_errors(number, exc, Organisation)
    errors += _plan_contact(plan_row, record)
    if not errors:
        plan.rows.append(plan_row)
    return errors


def _plan_contact(plan_row, record):
    """A contact person's columns: adds a contact, or fills in one with the same name."""
    values = {name: record.get(column, "") for column, name in CONTACT_COLUMNS.items()}
    if not any(values.values()):
        return []
    if not values["name"]:
        return [
            RowError(
                plan_row.row,
                _label(ContactPerson, "name"),
                _("Write the contact person's name, or leave the contact columns empty."),
            )
        ]
    contact = None
    if not plan_row.is_new:
        contact = next(
            (
                c
                for c in plan_row.organisation.contacts.all()
                if c.name.lower() == values["name"].lower()
            ),
            None,
        )
    if contact is None:
        contact = ContactPerson(name=values["name"])
        plan_row.changes.append(Change(_("New contact person"), "", values["name"]))
    for name in ("role", "phone", "email"):
        old = getattr(contact, name)
        if values[name] and values[name] != old:
            plan_row.changes.append(
                Change(f"{_label(ContactPerson, name)} ({contact.name})", old, values[name])
            )
            setattr(contact, name, values[name])
    try:
        contact.full_clean(exclude=["organisation"])
    except ValidationError as exc:
        return _validation_errors(plan_row.row, exc, ContactPerson)
    plan_row.contact = contact
    return []


# Applying --------------------------------------------------------------------------------


def organisations_import(*, dataset, user, county_office):
    """Apply the file as previewed, all rows or none (the plan is made again, so a change
    made by someone else since the preview is checked too). Raises ImportFailed."""
    with transaction.atomic():
        plan = plan_import(dataset, user=user)
        if plan.errors:
            raise ImportFailed(plan.errors)
        for row in plan.rows:
            if row.unchanged:
                continue
            organisation = row.organisation
            if row.is_new and not organisation.is_uh:
                organisation.county_office = county_office
            organisation.save()
            if row.contact is not None:
                row.contact.organisation = organisation
                row.contact.save()
            organisation_changed(organisation=organisation, before=row.watched_before, user=user)
    return plan
