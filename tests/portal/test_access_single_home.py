"""Access is decided in one place per model: its QuerySet's access methods.

The user's roles (portal/access.py) and the workflow's `roles_on` (portal/workflow.py) are the
building blocks; only methods of an AccessQuerySet subclass in a models module may filter by
them. This scans the app code (the import-linter root packages but bench/; no migrations) so
that an ad-hoc membership or officer filter in a view, selector, form or feed fails CI: filter
through `Model.objects.visible_to(user)`, `editable_by(user)` or another method beside them.
"""

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The building blocks: the user's roles, read in one query and cached per request.
ROLE_FUNCTIONS = {
    "member_partnership_ids",
    "officer_county_ids",
    "member_roles",
    "is_officer_of",
    "partnership_ids_with_role",
    "forum_county_ids",
}
# Lookups that filter by the user's memberships or county offices.
LOOKUP = re.compile(r"county_office_id__in|partnership_id__in|memberships__user|county_offices__")
# Attributes that reach the memberships from the user (user.county_offices) or set officers.
ATTRIBUTES = {"county_offices"}
KEYWORDS = {"officers"}

# Where the building blocks are made and combined, outside the models' QuerySets.
BUILDING_BLOCKS = {
    "portal/access.py": {
        "_load_roles",
        "officer_county_ids",
        "member_roles",
        "member_partnership_ids",
        "partnership_ids_with_role",
        "is_officer_of",
        "forum_county_ids",
    },
    "portal/workflow.py": {"roles_on"},
}


def app_files():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = [p for p in config["tool"]["importlinter"]["root_packages"] if p != "bench"]
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _is_access_queryset(node):
    return any(
        (isinstance(base, ast.Name) and base.id == "AccessQuerySet")
        or (isinstance(base, ast.Attribute) and base.attr == "AccessQuerySet")
        for base in node.bases
    )


class _Scanner(ast.NodeVisitor):
    """Every use of a role function or membership lookup: (line, qualified name of the
    enclosing function, what, allowed)."""

    def __init__(self, relative):
        self.relative = relative
        # models.py, models_plan.py, annual_models.py, …
        self.is_models = re.fullmatch(r"(\w+_)?models(_\w+)?\.py", Path(relative).name) is not None
        self.stack = []  # (name, is an AccessQuerySet class)
        self.uses = []

    def _allowed(self):
        qualname = ".".join(name for name, _ in self.stack)
        if qualname in BUILDING_BLOCKS.get(self.relative, ()):
            return True
        # A method of an AccessQuerySet subclass in a models module.
        return self.is_models and len(self.stack) >= 2 and self.stack[0][1]

    def _found(self, node, what):
        qualname = ".".join(name for name, _ in self.stack) or "<module>"
        self.uses.append((node.lineno, qualname, what, bool(self._allowed())))

    def visit_ClassDef(self, node):
        self.stack.append((node.name, _is_access_queryset(node)))
        self.generic_visit(node)
        self.stack.pop()

    def visit_FunctionDef(self, node):
        self.stack.append((node.name, False))
        self.generic_visit(node)
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ImportFrom(self, node):
        for alias in node.names:
            if alias.name in ROLE_FUNCTIONS:
                # Imported under its own name only where it may be used.
                allowed = alias.asname is None and (
                    self.is_models or self.relative in BUILDING_BLOCKS
                )
                self.uses.append((node.lineno, "<import>", alias.name, allowed))

    def visit_Name(self, node):
        if node.id in ROLE_FUNCTIONS:
            self._found(node, node.id)

    def visit_Attribute(self, node):
        if node.attr in ROLE_FUNCTIONS or node.attr in ATTRIBUTES:
            self._found(node, node.attr)
        self.generic_visit(node)

    def visit_keyword(self, node):
        if node.arg and (LOOKUP.search(node.arg) or node.arg in KEYWORDS):
            self._found(node.value, node.arg)
        self.generic_visit(node)

    def visit_Constant(self, node):
        # A lookup written as a string, e.g. filter(**{"partnership_id__in": ids}).
        if isinstance(node.value, str) and re.fullmatch(r"\w+", node.value):
            if LOOKUP.search(node.value):
                self._found(node, node.value)


def scan(relative, source):
    scanner = _Scanner(relative)
    scanner.visit(ast.parse(source))
    return scanner.uses


def test_access_is_decided_only_in_the_models_querysets():
    offending = []
    for path in app_files():
        relative = path.relative_to(ROOT).as_posix()
        for line, qualname, what, allowed in scan(relative, path.read_text()):
            if not allowed:
                offending.append(f"{relative}:{line} {qualname}: {what}")
    assert offending == [], (
        "Access is decided in the models' QuerySet methods only (visible_to, editable_by, …); "
        "filter through them instead:\n" + "\n".join(offending)
    )


def test_the_scan_sees_the_allowed_uses():
    """The scan is not blind: it finds the building blocks where they are allowed."""
    uses = scan("needs/models.py", (ROOT / "needs/models.py").read_text())
    assert {"NeedReportQuerySet.visible_to", "NeedReportQuerySet.editable_by"} <= {
        qualname for _line, qualname, _what, allowed in uses if allowed
    }
    uses = scan("portal/workflow.py", (ROOT / "portal/workflow.py").read_text())
    assert {(q, w) for _l, q, w, ok in uses if ok} >= {
        ("roles_on", "member_roles"),
        ("roles_on", "is_officer_of"),
    }


AD_HOC = """
from portal.access import officer_county_ids
from portal.access import member_roles as roles
from partnerships.models import Partnership
from portal import access


def my_view(request):
    ids = officer_county_ids(request.user)
    mine = Partnership.objects.filter(memberships__user=request.user)
    theirs = Partnership.objects.filter(**{"region__county_office_id__in": ids})
    offices = request.user.county_offices.all()
    return access.is_officer_of(request.user, 1), mine, theirs, offices, roles


class PartnershipQuerySet:  # not an AccessQuerySet
    def mine(self, user):
        return self.filter(partnership_id__in=access.member_partnership_ids(user))
"""


def test_an_ad_hoc_filter_is_found():
    """Each way of deciding access outside a QuerySet method is reported, in a view as in a
    models module's plain class."""
    for relative in ("needs/views.py", "needs/models.py"):
        refused = {(q, w) for _l, q, w, ok in scan(relative, AD_HOC) if not ok}
        assert refused >= {
            ("my_view", "officer_county_ids"),
            ("my_view", "memberships__user"),
            ("my_view", "region__county_office_id__in"),
            ("my_view", "county_offices"),
            ("my_view", "is_officer_of"),
            ("PartnershipQuerySet.mine", "partnership_id__in"),
            ("PartnershipQuerySet.mine", "member_partnership_ids"),
            ("<import>", "member_roles"),  # renamed on import
        }, relative
    refused = {(q, w) for _l, q, w, ok in scan("needs/views.py", AD_HOC) if not ok}
    assert ("<import>", "officer_county_ids") in refused


def test_a_models_queryset_method_may_filter():
    source = """
from portal.access import AccessQuerySet, officer_county_ids


class ThingQuerySet(AccessQuerySet):
    def visible_to(self, user):
        return self.filter(county_office_id__in=officer_county_ids(user))
"""
    assert [ok for *_rest, ok in scan("things/models.py", source)] == [True, True, True]
    assert [ok for *_rest, ok in scan("things/annual_models.py", source)] == [True, True, True]
    assert not any(ok for *_rest, ok in scan("things/views.py", source))
    assert not any(ok for *_rest, ok in scan("things/models_helpers/views.py", source))
