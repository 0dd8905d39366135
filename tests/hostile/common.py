"""Shared helpers for the hostile-input tests: hostile strings, a whole-database snapshot,
and a parser for the POST forms a page shows."""

import os
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Reproducible in CI: no example database, no deadline (SQLite on a shared CPU).
HOSTILE_SETTINGS = settings(
    database=None,
    deadline=None,
    # The same examples on every run (set HYPOTHESIS_EXPLORE=1 to look for new ones).
    derandomize=not os.environ.get("HYPOTHESIS_EXPLORE"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Rows that change on any request, not because of what was posted.
VOLATILE_TABLES = {"django_session", "selfassess_cache"}
# The audit log records refused attempts on purpose (failed sign-ins, downloads).
VOLATILE_PREFIXES = ("audit_",)

NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "'; DROP TABLE councils_council; --",
    "' OR '1'='1",
    "1; SELECT pg_sleep(10)",
    "\x00",
    "a\x00b",
    "%00",
    "\x1b[31m\x07\x08\x0b\x0c\x7f",
    "\r\n\r\n",
    " ",
    "\t",
    "\u00a0",
    "\u200b",
    "\u202eevil",
    "\ufeff",
    "\U0001f4a9" * 3,
    "e\u0301" * 5,
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "../../../../etc/passwd",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "NaN",
    "-0",
    "1e309",
    "-1",
    "0",
    "2",
    "3",
    "99",
    "9" * 25,
    "9" * 5000,
    "0x10",
    "1.5",
    "\uff11",  # fullwidth 1
    "\u0661",  # Arabic-Indic 1
    "31/02/2026",
    "2026-02-31",
    "x@y",
    "mole@example.org",
    "a@b.c\x00",
    "http://",
    "https://example.org/\x00",
    "ftp://example.org/",
    "https://" + "a" * 600 + ".org",
]

text_chars = st.characters(codec="utf-8", exclude_categories=("Cs",))


def long_text(min_size: int = 150, max_size: int = 12_000):
    return st.builds(
        lambda c, n: c * n, st.sampled_from(["x", "é", "\U0001f600", "\x00", "<", "\n"]),
        st.integers(min_size, max_size),
    )  # fmt: skip


hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(text_chars, max_size=40),
    long_text(),
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True).map(str),
)


def snapshot() -> dict[str, list]:
    """Every row of every table (apart from sessions and the cache), order-free."""
    out = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in VOLATILE_TABLES or table.startswith(VOLATILE_PREFIXES):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            out[table] = sorted(repr(row) for row in cursor.fetchall())
    return out


def diff(before: dict, after: dict) -> dict:
    changed = {}
    for table in before.keys() | after.keys():
        b, a = set(before.get(table, [])), set(after.get(table, []))
        if a != b:
            changed[table] = {"added": sorted(a - b)[:3], "removed": sorted(b - a)[:3]}
    return changed


@dataclass
class Form:
    action: str | None
    enctype: str = ""
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> submitted values
    choices: dict[str, list[str]] = field(default_factory=dict)  # name -> offered values
    buttons: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


class FormParser(HTMLParser):
    """The POST forms of a page, with what a browser would submit from each."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: str | None = None
        self.select: str | None = None
        self.option: tuple[str, bool] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self.form = Form(action=a.get("action"), enctype=a.get("enctype") or "")
                self.forms.append(self.form)
            return
        f = self.form
        if f is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            value = a.get("value") or ""
            if kind in ("radio", "checkbox"):
                f.choices.setdefault(name, []).append(a.get("value") or "on")
                f.fields.setdefault(name, [])
                if "checked" in a:
                    f.fields[name].append(a.get("value") or "on")
            elif kind == "file":
                f.files.append(name)
            elif kind == "submit":
                f.buttons.append((name, value))
            else:
                f.fields.setdefault(name, []).append(value)
        elif tag == "button" and name:
            f.buttons.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea = name
            f.fields.setdefault(name, []).append("")
        elif tag == "select" and name:
            self.select = name
            f.fields.setdefault(name, [])
        elif tag == "option" and self.select:
            value = a.get("value", "")
            f.choices.setdefault(self.select, []).append(value)
            if "selected" in a:
                f.fields[self.select].append(value)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            if self.select and self.form and not self.form.fields[self.select]:
                offered = self.form.choices.get(self.select) or [""]
                self.form.fields[self.select].append(offered[0])
            self.select = None

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            values = self.form.fields[self.textarea]
            values[-1] += data


def post_forms(html: str, page_url: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if not form.action:
            form.action = page_url
        # Browsers drop the first newline after <textarea>; so do we.
        for name, values in form.fields.items():
            form.fields[name] = [v[1:] if v.startswith("\n") else v for v in values]
    return parser.forms
