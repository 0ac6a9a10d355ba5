"""The load test of `manage.py loadtest`: coordinators saving measures while officers list.

Each simulated user is a thread with its own HTTP connection to gunicorn on loopback, and the
run is bounded in time. A coordinator autosaves one measure of their own draft again and
again, as the measure page's autosave does (the whole form, X-Requested-With: autosave), with
a new owner amount each time; an officer alternates between the need-report list and the
review queue of their county. Every answer is checked, and every save remembered, so that the
command can compare the final amounts in the database with the last acknowledged writes.
"""

import http.client
import json
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

from bench.figures import percentile
from bench.loadgen import HOST

TIMEOUT = 60  # seconds per request: a slow answer is measured, not dropped


class FormFields(HTMLParser):
    """The fields of the page's autosave form, as the browser's FormData would send them."""

    def __init__(self):
        super().__init__()
        self.fields = {}
        self.in_form = False
        self.textarea = self.select = None
        self.select_first = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "data-autosave" in a:
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self.select, self.select_first = name, None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.fields[self.select] = value

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select:
            self.fields.setdefault(self.select, self.select_first or "")
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


@dataclass
class Stats:
    """Latencies (ms) and errors of one kind of request."""

    times: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def requests(self):
        return len(self.times) + len(self.errors)

    def summary(self):
        times = self.times or [0.0]
        return {
            "requests": self.requests,
            "errors": len(self.errors),
            "median_ms": statistics.median(times),
            "p95_ms": percentile(times, 0.95),
            "max_ms": max(times),
        }


class Session:
    """One user's keep-alive connection with their session and CSRF cookies."""

    def __init__(self, port, session_key):
        self.port = port
        self.cookies = {"sessionid": session_key}
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie, **(headers or {})}
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        for value in response.headers.get_all("Set-Cookie") or []:
            match = re.match(r"\s*([^=;]+)=([^;]*)", value)
            if match:
                self.cookies[match.group(1)] = match.group(2)
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, content.decode("utf-8", "replace")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def coordinator(port, session_key, measure_url, start_amount, deadline, think, stats, writes):
    """Autosave the measure with owner amounts start_amount + 1, + 2, … until the deadline.

    `writes[measure_url]` gets (the last amount the server acknowledged as saved, how many
    saves it acknowledged).
    """
    session = Session(port, session_key)
    status, page = session.request("GET", measure_url)
    if status != 200:
        stats.errors.append(f"GET {measure_url}: {status}")
        return
    parser = FormFields()
    parser.feed(page)
    form = parser.fields
    if "owner_amount" not in form or "version" not in form:
        stats.errors.append(f"GET {measure_url}: no autosave form")
        return
    amount, saves = start_amount, 0
    while time.monotonic() < deadline:
        amount += 1
        form["owner_amount"] = str(amount)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Requested-With": "autosave",
            "X-CSRFToken": session.cookies.get("csrftoken", ""),
        }
        start = time.perf_counter()
        try:
            status, body = session.request("POST", measure_url, urlencode(form), headers)
        except (OSError, http.client.HTTPException) as exc:
            stats.errors.append(f"POST {measure_url}: {exc!r}")
            continue
        elapsed = (time.perf_counter() - start) * 1000
        try:
            answer = json.loads(body) if status == 200 else {}
        except ValueError:
            answer = {}
        if answer.get("status") == "saved" and not answer.get("errors"):
            stats.times.append(elapsed)
            saves += 1
            writes[measure_url] = (amount, saves)
            form["version"] = str(answer["version"])
        else:
            stats.errors.append(f"POST {measure_url}: {status} {body[:200]!r}")
        if think:
            time.sleep(think)
    session.close()


def officer(port, session_key, urls, expect, deadline, think, stats):
    """GET the officer's lists in turn until the deadline; each must answer 200 with `expect`."""
    session = Session(port, session_key)
    i = 0
    while time.monotonic() < deadline:
        url = urls[i % len(urls)]
        i += 1
        start = time.perf_counter()
        try:
            status, body = session.request("GET", url)
        except (OSError, http.client.HTTPException) as exc:
            stats.errors.append(f"GET {url}: {exc!r}")
            continue
        elapsed = (time.perf_counter() - start) * 1000
        if status == 200 and expect in body:
            stats.times.append(elapsed)
        else:
            stats.errors.append(f"GET {url}: {status}")
        if think:
            time.sleep(think)
    session.close()


def run(port, *, coordinators, officers, duration, think):
    """coordinators: [(session key, measure url, current owner amount)];
    officers: [(session key, [urls], expected text)]. Returns (stats by kind, last writes)."""
    stats = {"save": Stats(), "list": Stats()}
    writes = {}
    deadline = time.monotonic() + duration
    threads = [
        threading.Thread(
            target=coordinator,
            args=(port, key, url, amount, deadline, think, stats["save"], writes),
        )
        for key, url, amount in coordinators
    ] + [
        threading.Thread(
            target=officer, args=(port, key, urls, expect, deadline, think, stats["list"])
        )
        for key, urls, expect in officers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 2 * TIMEOUT)
    return stats, writes
