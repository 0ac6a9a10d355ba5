"""The allocation page never loses what the case officer typed: after a refused save (a wrong
amount or priority, allocations beyond the frame, a wrong frame) every input shows what was
typed, and a wrong one says why beside it, linked for screen readers.

The page is a formset of the page's measures ("measures-<n>-owner"/"-uh") and one of its
reports' priorities ("reports-<n>-priority"/"-note"); with one report, measure n is the
report's n-th measure."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from needs.models import Allocation, AuditEntry, Frame, NeedReport
from partnerships.models import Scheme
from portal.forms import MONEY_MESSAGES

from .conftest import allocation_post, make_report

pytestmark = pytest.mark.django_db

with translation.override("nb"):
    NO_DECIMALS = str(MONEY_MESSAGES["decimals"])
    DIGITS = str(MONEY_MESSAGES["invalid"])
WHOLE_KRONER = "Hele kroner, for eksempel 50 000."  # the frame's inputs


class Page(HTMLParser):
    """The inputs (their attributes), labels (their targets) and the text of every element
    with an id, of a page."""

    def __init__(self, html):
        super().__init__()
        self.inputs, self.labels, self.texts, self._open = {}, set(), {}, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and "id" in attrs:
            self.inputs[attrs["id"]] = attrs
        elif tag == "label" and "for" in attrs:
            self.labels.add(attrs["for"])
        if tag != "input" and "id" in attrs:
            self.texts[attrs["id"]] = ""
            self._open.append((tag, attrs["id"]))

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data):
        for _tag, element_id in self._open:
            self.texts[element_id] += data


@pytest.fixture
def submitted(cast):
    return make_report(
        cast.partnership_a,
        measures=[(40_000, 60_000), (20_000, 30_000)],
        status=NeedReport.Status.SUBMITTED,
    )


def _frame(cast, amount, committed=0):
    return Frame.objects.create(
        county_office=cast.county_a,
        scheme=Scheme.objects.get(code="dekom"),
        year=2024,
        amount=amount,
        committed=committed,
    )


def _url(cast):
    return reverse("needs:allocation", args=[cast.county_a.pk, "dekom", 2024])


def _post(client, cast, report, values, priority="", note=""):
    measures = report.measures.order_by("position")
    amounts = dict(zip(measures, values, strict=True))
    return allocation_post(client, _url(cast), amounts, {report: (priority, note)})


def owner(n):
    """(input id, input name) of the n-th measure's owner amount."""
    return f"id_measures-{n}-owner", f"measures-{n}-owner"


def uh(n):
    return f"id_measures-{n}-uh", f"measures-{n}-uh"


PRIORITY = ("id_reports-0-priority", "reports-0-priority")
NOTE = ("id_reports-0-note", "reports-0-note")


def assert_invalid(page, input_id, name, message):
    field = page.inputs[input_id]
    assert field["aria-invalid"] == "true"
    assert field["aria-describedby"] == f"err-{name}"
    assert "ds-input" in field["class"].split()
    assert page.texts[f"err-{name}"] == message
    assert input_id in page.labels


def assert_valid(page, input_id):
    field = page.inputs[input_id]
    assert "aria-invalid" not in field and "aria-describedby" not in field
    assert "ds-input" in field["class"].split()
    assert input_id in page.labels


def test_a_wrong_amount_is_shown_as_typed_with_its_message_and_nothing_is_saved(
    login, cast, submitted
):
    _frame(cast, 1_000_000)
    client = login(cast.olga)
    response = client.post(
        _url(cast),
        _post(
            client,
            cast,
            submitted,
            [("12,50", "61 000"), ("21000", "30 000 kr")],
            priority="2",
            note='<b>"Først"</b> & så',
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    assert page.inputs[owner(0)[0]]["value"] == "12,50"
    assert_invalid(page, *owner(0), NO_DECIMALS)
    # The message sits right after its input, in the same cell.
    assert re.search(
        r'<input [^>]*value="12,50"[^>]*>'
        rf'<div class="ds-validation-message" id="err-{owner(0)[1]}">'
        rf"{re.escape(NO_DECIMALS)}</div></td>",
        html,
    )
    # The rest of the form is what was typed, not what is saved or was requested.
    for input_id, typed in [
        (uh(0)[0], "61 000"),
        (owner(1)[0], "21000"),
        (uh(1)[0], "30 000 kr"),
        (PRIORITY[0], "2"),
        (NOTE[0], '<b>"Først"</b> & så'),
    ]:
        assert page.inputs[input_id]["value"] == typed, input_id
        assert_valid(page, input_id)
    assert 'value="&lt;b&gt;&quot;Først&quot;&lt;/b&gt; &amp; så"' in html
    assert html.count('aria-invalid="true"') == 1
    assert "Ingenting ble lagret. Rett feltene som er merket med feil." in html
    # Nothing saved: no allocation, no priority, nothing in the audit log.
    assert not Allocation.objects.exists()
    submitted.refresh_from_db()
    assert (submitted.priority, submitted.priority_note) == (None, "")
    assert not AuditEntry.objects.exists()


def test_what_was_typed_is_escaped(login, cast, submitted):
    _frame(cast, 1_000_000)
    client = login(cast.olga)
    html = client.post(
        _url(cast),
        _post(client, cast, submitted, [('"><script>alert(1)</script>', "0"), ("abc", "1")]),
    ).content.decode()
    assert "<script>alert(1)" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    page = Page(html)
    assert page.inputs[owner(0)[0]]["value"] == '"><script>alert(1)</script>'
    assert html.count('aria-invalid="true"') == 2
    assert html.count(DIGITS) == 2
    assert not Allocation.objects.exists()


def test_a_wrong_priority_is_refused_beside_it_and_nothing_is_saved(login, cast, submitted):
    _frame(cast, 1_000_000)
    client = login(cast.olga)
    response = client.post(
        _url(cast),
        _post(client, cast, submitted, [("40 000", "60 000"), ("20 000", "30 000")], "første"),
    )
    page = Page(response.content.decode())
    assert page.inputs[PRIORITY[0]]["value"] == "første"
    assert_invalid(page, *PRIORITY, "Et helt tall, for eksempel 1.")
    assert page.inputs[owner(0)[0]]["value"] == "40 000"
    assert_valid(page, owner(0)[0])
    assert not Allocation.objects.exists()
    submitted.refresh_from_db()
    assert submitted.priority is None


def test_allocations_beyond_the_frame_are_refused_and_stay_as_typed(login, cast, submitted):
    _frame(cast, 200_000, committed=30_000)
    client = login(cast.olga)
    client.post(
        _url(cast), _post(client, cast, submitted, [("40000", "60000"), ("20000", "30000")])
    )
    assert sum(a.total for a in Allocation.objects.all()) == 150_000

    typed = [("40 000", "90 000 kr"), ("20000", "30000")]
    response = client.post(_url(cast), _post(client, cast, submitted, typed, "3", "Ny"))
    assert response.status_code == 200
    html = response.content.decode()
    text = html.replace("\u00a0", " ")
    for figure in ["180 000 kr", "30 000 kr", "210 000 kr", "10 000 kr", "200 000 kr"]:
        assert figure in text, figure
    page = Page(html)
    for input_id, typed in [
        (owner(0)[0], "40 000"),
        (uh(0)[0], "90 000 kr"),
        (owner(1)[0], "20000"),
        (uh(1)[0], "30000"),
        (NOTE[0], "Ny"),
    ]:
        assert page.inputs[input_id]["value"] == typed, input_id
        assert_valid(page, input_id)
    # No allocation changed; the frame's own inputs show the frame as saved.
    assert sorted((a.owner_amount, a.uh_amount) for a in Allocation.objects.all()) == [
        (20_000, 30_000),
        (40_000, 60_000),
    ]
    assert page.inputs["frame-amount"]["value"] == "200\u00a0000"
    # The priorities are saved before the allocations are checked against the frame, and
    # stay saved (the message speaks of the allocations only).
    submitted.refresh_from_db()
    assert (submitted.priority, submitted.priority_note) == (3, "Ny")


def test_a_wrong_frame_is_shown_as_typed_with_its_message(login, cast, submitted):
    frame = _frame(cast, 200_000, committed=30_000)
    client = login(cast.olga)
    html = client.post(
        _url(cast), {"save_frame": "1", "frame_amount": "10,5 mill", "frame_committed": "40 000"}
    ).content.decode()
    page = Page(html)
    assert page.inputs["frame-amount"]["value"] == "10,5 mill"
    assert_invalid(page, "frame-amount", "frame_amount", WHOLE_KRONER)
    # What is committed is computed from the commitment register, never typed.
    assert "frame-committed" not in page.inputs
    # The allocation form was not sent: its inputs show what is saved (here: requested).
    assert page.inputs[owner(0)[0]]["value"] == "40 000"
    frame.refresh_from_db()
    assert (frame.amount, frame.committed) == (200_000, 30_000)


def test_the_page_as_fetched_has_no_error_markup(login, cast, submitted):
    _frame(cast, 1_000_000)
    html = login(cast.olga).get(_url(cast)).content.decode()
    assert "aria-invalid" not in html and "invalid-feedback" not in html
    assert Page(html).inputs[owner(0)[0]]["value"] == "40 000"
    assert Page(html).inputs[uh(1)[0]]["value"] == "30 000"


def test_a_post_that_is_not_the_pages_formset_saves_nothing(login, cast, submitted):
    """Bad input never gives a 500 and never stores a wrong value: a post without the
    formsets' management data, or naming a measure that is not on the page, saves nothing."""
    _frame(cast, 1_000_000)
    client = login(cast.olga)
    response = client.post(_url(cast), {"save_allocations": "1", "measures-0-owner": "5"})
    assert response.status_code == 200
    assert "Ingenting ble lagret." in response.content.decode()

    other = make_report(cast.partnership_b, measures=[(1, 2)], status="submitted")
    data = _post(client, cast, submitted, [("1", "2"), ("3", "4")])
    data["measures-1-measure"] = str(other.measures.get().pk)  # another county's measure
    response = client.post(_url(cast), data)
    assert response.status_code == 200
    assert "Siden ble endret mens du skrev." in response.content.decode()
    assert not Allocation.objects.exists()
    assert not AuditEntry.objects.exists()
