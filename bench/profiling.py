"""Where the time goes: a pyinstrument profile summed by area (ORM, database, templates,
...). Standard-library and built-in frames count with the code that called them, so
"templates" includes the regular expressions and string work the template engine asks
for, and "database" the time inside sqlite3 or psycopg."""

from __future__ import annotations

AREAS = [
    ("database (driver and SQL engine)", ("/django/db/backends/", "/sqlite3/", "/psycopg/")),
    ("ORM (building queries, making model objects)", ("/django/db/",)),
    (
        "templates (rendering, tags, filters)",
        (
            "/django/template/",
            "/django/templatetags/",
            "/templatetags/",
            "/django/utils/html.py",
            "/django/utils/safestring.py",
            "/django/utils/formats.py",
            "/django/utils/dateformat.py",
            "/django/utils/numberformat.py",
            "/django/utils/translation/",
        ),
    ),
    ("URL reversing and resolving", ("/django/urls/",)),
    ("forms and validation", ("/django/forms/", "/django/core/validators.py")),
    (
        "request, middleware, sessions, auth",
        (
            "/django/contrib/",
            "/allauth/",
            "/django/middleware/",
            "/django/core/handlers/",
            "/django/http/",
            "/django/utils/deprecation.py",
            "/asgiref/",
            "/django/views/",
            "/django/utils/cache.py",
            "/django/shortcuts.py",
            "/django/core/signing.py",
        ),
    ),
    ("test client (not in production)", ("/django/test/",)),
    ("cryptography", ("/cryptography/",)),
    ("python-docx", ("/docx/",)),
    ("matplotlib (charts)", ("/matplotlib/",)),
    (
        "WeasyPrint (PDF)",
        (
            "/weasyprint/",
            "/pydyf/",
            "/tinycss2/",
            "/cssselect2/",
            "/tinyhtml5/",
            "/fontTools/",
            "/pyphen/",
        ),
    ),
    ("openpyxl", ("/openpyxl/",)),
    ("Pillow", ("/PIL/",)),
    ("lxml", ("/lxml/",)),
    ("app code (selfassess)", ("/selfassess/",)),
    ("Django utilities (lazy objects, Q trees, signals)", ("/django/",)),
]


def _area(path: str | None) -> str | None:
    if not path or path.startswith("<"):
        return None  # built-in: counts with its caller
    for name, needles in AREAS:
        if any(n in path for n in needles):
            return name
    if "site-packages" in path:
        return "other libraries"
    return None  # standard library: counts with its caller


def by_area(session) -> list[dict]:
    """[(area, seconds, share)] of a pyinstrument session, largest first."""
    totals: dict[str, float] = {}
    root = session.root_frame()
    if root is None:
        return []

    def walk(frame, inherited: str):
        area = _area(frame.file_path) or inherited
        own = frame.time - sum(c.time for c in frame.children if not c.is_synthetic)
        if own > 0:
            totals[area] = totals.get(area, 0.0) + own
        for child in frame.children:
            if not child.is_synthetic:
                walk(child, area)

    walk(root, "other")
    total = sum(totals.values()) or 1.0
    return [
        {"area": k, "seconds": round(v, 4), "share": round(v / total, 3)}
        for k, v in sorted(totals.items(), key=lambda kv: -kv[1])
        if k not in {"other"} or v / total > 0.01
    ]
