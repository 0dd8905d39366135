"""What people read and reach on every page: no page names a file of this repository,
every table that may scroll sideways can be reached by keyboard, and the charts keep
their place while they load."""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.urls import reverse

from selfassess.reports.formats import FORMATS

from .test_isolation import EXCLUDED_PREFIXES, url_patterns
from .test_reads_never_write import SURVEY, everything  # noqa: F401 (a fixture)

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "selfassess" / "templates"
REPOSITORY_FILE = re.compile(
    r"(?<![\w@.])(?:docs|src|tests|scripts|bench)/[\w./-]+"
    r"|\b[\w-]+\.(?:md|py|yaml|yml|toml|scss|lock)\b"
)
# The feedback pages belong to another piece of work, which gives them the same.


class Words(HTMLParser):
    """The words a person reads or hears: text, and the alt, title and aria-label of
    elements; not scripts, styles or addresses."""

    def __init__(self):
        super().__init__()
        self.words: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.words += [v for k, v in attrs if k in ("alt", "title", "aria-label") and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.words.append(data)


def words_of(html: str) -> str:
    parser = Words()
    parser.feed(html)
    return " ".join(parser.words)


def test_no_page_names_a_file_of_the_repository(everything, login, admin, client, smtp):  # noqa: F811
    signed_in = login(admin)
    for name, route in sorted(url_patterns(EXCLUDED_PREFIXES).items()):
        keys = re.findall(r"<(?:\w+:)?(\w+)>", route)
        url = reverse(name, kwargs={k: everything[k] for k in keys})
        resp = (client if name in SURVEY else signed_in).get(url)
        if not resp.get("Content-Type", "").startswith("text/html"):
            continue
        found = REPOSITORY_FILE.findall(words_of(resp.content.decode()))
        assert not found, f"{url} names {found}"
    for fmt in FORMATS.values():
        assert not REPOSITORY_FILE.findall(fmt.label), fmt.label


def test_every_table_that_may_scroll_is_reachable_by_keyboard():
    wrapper = re.compile(r'<div class="app-table-wrap"([^>]*)>')
    for path in TEMPLATES.rglob("*.html"):
        name = str(path.relative_to(TEMPLATES))
        for attributes in wrapper.findall(path.read_text()):
            assert 'tabindex="0"' in attributes, name
            assert 'role="region"' in attributes, name
            assert re.search(r'aria-label="[^"]+"', attributes), name


def test_the_reports_chart_keeps_its_place_while_it_loads(everything, login, admin):  # noqa: F811
    page = login(admin).get(f"/councils/example/assessments/{everything['pk']}/report/")
    chart = re.search(r'<img class="app-chart"[^>]*>', page.content.decode()).group(0)
    assert 'width="800"' in chart and 'height="475"' in chart
