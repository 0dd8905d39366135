"""What is shown: the public open data (every snapshot at its own dated address, CSV and
JSON downloads that `manage.py export_benchmark` writes byte for byte, no council named),
and a council's summary page beside councils like it, never in a group it may not see."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from selfassess.benchmarks import services
from selfassess.benchmarks.disclosure import GAP_BANDS
from selfassess.benchmarks.formats import CSV_COLUMNS, FORMAT
from selfassess.councils.models import Council, CouncilType, Region

from ..conftest import make_member
from .conftest import REFS, agree, make_council, random_scores, surveyed


@pytest.fixture
def population(framework):
    """Twelve district councils (eight in the East of England, four in London), five
    unitary authorities in London and two county councils: K is 3, so a group needs 4."""
    made = {}
    for i in range(12):
        c = make_council(f"dist{i}", "district", "east" if i < 8 else "london")
        made[c.slug] = agree(c, random_scores(i))
        if i < 6:
            surveyed(made[c.slug], i % 3)
    for i in range(5):
        c = make_council(f"uni{i}", "unitary", "london")
        made[c.slug] = agree(c, random_scores(100 + i))
    for i in range(2):
        c = make_council(f"county{i}", "county", "east")
        made[c.slug] = agree(c, random_scores(200 + i))
    return made


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_no_benchmark_yet(framework, client):
    page = client.get("/benchmarks/")
    assert page.status_code == 200
    assert "No benchmark has been published yet" in page.content.decode()


def test_nothing_while_benchmarks_are_off(population, client, settings):
    snapshot = services.publish_snapshot()
    settings.BENCHMARKS = False
    for path in ("/benchmarks/", f"/benchmarks/{snapshot.pk}/"):
        assert client.get(path).status_code == 404
    for fmt in ("csv", "json"):
        assert client.get(f"/benchmarks/{snapshot.pk}/download/{fmt}/").status_code == 404


def test_the_public_page_shows_the_national_tables(population, client):
    snapshot = services.publish_snapshot()
    page = client.get("/benchmarks/")
    assert page.status_code == 200
    text = words(page.content.decode())
    everyone = next(g for g in snapshot.content["groups"] if g["group"] == "all")
    assert everyone["shown"] and everyone["councils"] == 19
    assert "All councils that share 19" in text
    assert "District councils 12" in text
    assert "County councils Not shown: too few councils" in text
    assert "Councils in Wales Not shown: too few councils" in text  # empty, said the same way
    assert "Councils in the North East Not shown" in text
    # The statement table of the chosen group: its shares of each score.
    page = client.get("/benchmarks/?group=type:district")
    text = words(page.content.decode())
    assert "Statement by statement: District councils" in text
    counts = next(g for g in snapshot.content["groups"] if g["group"] == "type:district")
    zero, one, two = counts["statements"]["1.1"]
    shares = [round(100 * n / 12) for n in (zero, one, two)]
    assert "1.1 We recognise" in text
    assert "{}% {}% {}%".format(*shares) in text
    # A group that is not shown cannot be asked for; the page falls back to all councils.
    text = words(client.get("/benchmarks/?group=type:county").content.decode())
    assert "Statement by statement: All councils that share" in text


def test_every_snapshot_keeps_its_own_dated_address(population, client):
    first = services.publish_snapshot()
    old_page = client.get(f"/benchmarks/{first.pk}/").content
    Council.objects.filter(slug="uni0").update(shares_benchmarks=False)
    second = services.publish_snapshot()
    text = words(client.get(f"/benchmarks/{first.pk}/").content.decode())
    assert "This is an earlier benchmark" in text
    assert f"Benchmarks: {first.created_at:%-d %B %Y}" in text
    latest = words(client.get("/benchmarks/").content.decode())
    assert "This is an earlier benchmark" not in latest
    assert f'href="/benchmarks/{first.pk}/"' in client.get("/benchmarks/").content.decode()
    # The first one's figures have not changed under its readers.
    table = re.compile(rb'<table class="govuk-table">.*?</table>', re.S)
    assert (
        table.findall(client.get(f"/benchmarks/{first.pk}/").content)[0]
        == (table.findall(old_page)[0])
    )
    assert client.get(f"/benchmarks/{second.pk + 1}/").status_code == 404


def test_downloads_follow_the_documented_format(population, client):
    snapshot = services.publish_snapshot()
    response = client.get(f"/benchmarks/{snapshot.pk}/download/json/")
    assert response["Content-Type"] == "application/json"
    assert f'filename="benchmark-{snapshot.pk}-' in response["Content-Disposition"]
    doc = json.loads(response.content)
    assert doc["format"] == FORMAT and doc["snapshot"] == snapshot.pk
    assert doc["url"].endswith(f"/benchmarks/{snapshot.pk}/")
    assert set(doc) == {
        "format", "snapshot", "published_at", "url", "toolkit", "k", "smallest_group",
        "window_months", "agreed_from", "scale", "principles", "survey_gap_bands", "groups",
    }  # fmt: skip
    assert (
        doc["k"] == 3 and doc["smallest_group"] == 4 and doc["survey_gap_bands"] == list(GAP_BANDS)
    )
    assert [s["ref"] for p in doc["principles"] for s in p["statements"]] == REFS
    labels = {g["group"] for g in doc["groups"]}
    assert labels == {"all"} | {f"type:{t}" for t in CouncilType.values} | {
        f"region:{r}" for r in Region.values
    }
    for g in doc["groups"]:
        if g["shown"]:
            assert sum(g["statements"]["1.1"]) == g["councils"] > doc["k"]
            assert all(len(v) == 11 for v in g["principle_totals"].values())
        else:
            assert g["councils"] is None and g["statements"] is None
            assert g["withheld"] in ("too_few", "protect")

    response = client.get(f"/benchmarks/{snapshot.pk}/download/csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == CSV_COLUMNS
    # The CSV holds exactly the JSON's counts.
    for g in doc["groups"]:
        mine = [r for r in rows if r["group"] == g["group"]]
        if not g["shown"]:
            assert [(r["table"], r["shown"], r["withheld"]) for r in mine] == [
                ("", "no", g["withheld"])
            ]
            continue
        for ref in REFS:
            assert [
                int(r["count"]) for r in mine if r["table"] == "statement" and r["ref"] == ref
            ] == g["statements"][ref]
        gap = g["survey_gap"]
        gap_rows = [r for r in mine if r["table"] == "survey_gap"]
        if gap["shown"]:
            assert [int(r["count"]) for r in gap_rows if r["principle"] == "1"] == gap["bands"]["1"]
        else:
            assert [(r["shown"], r["withheld"]) for r in gap_rows] == [("no", gap["withheld"])]
    assert client.get(f"/benchmarks/{snapshot.pk}/download/xml/").status_code == 404


def test_nothing_published_names_a_council(population, client):
    services.publish_snapshot()
    snapshot = services.publish_snapshot()
    published = b"".join(
        client.get(path).content
        for path in (
            "/benchmarks/",
            f"/benchmarks/{snapshot.pk}/",
            "/benchmarks/?group=region:london",
            f"/benchmarks/{snapshot.pk}/download/json/",
            f"/benchmarks/{snapshot.pk}/download/csv/",
        )
    ).decode()
    for council in Council.objects.all():
        assert council.name not in published and f"/{council.slug}/" not in published
    for assessment in population.values():
        assert assessment.title not in published


def test_the_export_command_writes_the_download(population, client, tmp_path):
    first = services.publish_snapshot()
    Council.objects.filter(slug="dist0").update(shares_benchmarks=False)
    latest = services.publish_snapshot()
    for fmt in ("csv", "json"):
        out = tmp_path / f"latest.{fmt}"
        call_command("export_benchmark", "--format", fmt, "-o", str(out))
        assert out.read_bytes() == client.get(f"/benchmarks/{latest.pk}/download/{fmt}/").content
        out = tmp_path / f"first.{fmt}"
        call_command(
            "export_benchmark", "--format", fmt, "-o", str(out), "--snapshot", str(first.pk)
        )
        assert out.read_bytes() == client.get(f"/benchmarks/{first.pk}/download/{fmt}/").content
    with pytest.raises(CommandError, match="There is no benchmark 999"):
        call_command("export_benchmark", "--format", "csv", "-o", str(out), "--snapshot", "999")


def test_the_export_command_says_when_there_is_nothing(framework, tmp_path):
    with pytest.raises(CommandError, match="No benchmark has been published yet"):
        call_command("export_benchmark", "--format", "json", "-o", str(tmp_path / "x.json"))


# --- the summary page --------------------------------------------------------------------


def summary(user, assessment) -> str:
    client = Client()
    client.force_login(user)
    page = client.get(f"/councils/{assessment.council.slug}/assessments/{assessment.pk}/summary/")
    assert page.status_code == 200
    return words(page.content.decode())


def test_a_council_sees_its_scores_beside_councils_like_it(population, client):
    services.publish_snapshot()
    mine = population["dist0"]
    admin = make_member(mine.council, "admin", "d0@example.org")
    text = summary(admin, mine)
    assert "Compared with other councils" in text
    assert "District councils (12 councils) (shown)" in text
    assert "Councils in the East of England (10 councils)" in text
    assert "All councils that share (19 councils)" in text
    own = random_scores(0)
    districts = [random_scores(i) for i in range(12)]
    counts = [sum(s["1.1"] == v for s in districts) for v in (0, 1, 2)]
    most = max(range(3), key=lambda v: (counts[v], v))
    label = ["Not addressed", "Partial", "Comprehensive"]
    share = round(100 * counts[most] / 12)
    if counts[own["1.1"]] == counts[most]:  # as many councils gave its own score
        assert f"1.1 {own['1.1']} · {label[own['1.1']]} Like {share}% of district councils" in text
    else:
        assert (
            f"1.1 {own['1.1']} · {label[own['1.1']]} {share}% of district councils score "
            f"{most} ({label[most]}) here" in text
        )
    # The region instead.
    client.force_login(admin)
    text = words(
        client.get(
            f"/councils/dist0/assessments/{mine.pk}/summary/?compare=region"
        ).content.decode()
    )
    assert "Your principle totals beside councils in the East of England" in text
    # It does not share itself: it still sees the public figures, and is told so.
    Council.objects.filter(pk=mine.council_id).update(shares_benchmarks=False)
    assert "does not share its own assessments in benchmarks" in summary(admin, mine)


def test_survey_gaps_beside_the_councils_own(population):
    services.publish_snapshot()
    mine = population["dist0"]  # its councillors answered 0 everywhere
    admin = make_member(mine.council, "admin", "d0@example.org")
    text = summary(admin, mine)
    assert "Councillors’ view beside the council’s score" in text
    own_total = sum(random_scores(0)[f"1.{i}"] for i in range(1, 6))
    assert own_total > 1
    assert f"1. Creating supportive and informed spaces {own_total:.1f} points below" in text


def test_a_group_the_council_may_not_see_is_never_shown(population, settings):
    services.publish_snapshot()
    county = population["county0"]  # two counties: that group is never published
    admin = make_member(county.council, "admin", "c0@example.org")
    text = summary(admin, county)
    assert "County councils: not enough councils to compare with" in text
    assert "Councils in the East of England (10 councils) (shown)" in text
    # The host raises K after the snapshot: London's groups have too few others now.
    london = population["uni0"]
    user = make_member(london.council, "admin", "u0@example.org")
    settings.BENCHMARK_K = 6  # unitary authorities: 5 in all, so 4 others; London: 9
    text = summary(user, london)
    assert "Unitary authorities: not enough councils to compare with" in text
    assert "Councils in London (9 councils) (shown)" in text
    settings.BENCHMARK_K = 19
    text = summary(user, london)
    assert "Compared with other councils" not in text


def test_no_comparison_before_a_benchmark_or_while_off(population, settings):
    mine = population["dist0"]
    admin = make_member(mine.council, "admin", "d0@example.org")
    assert "Compared with other councils" not in summary(admin, mine)
    services.publish_snapshot()
    settings.BENCHMARKS = False
    assert "Compared with other councils" not in summary(admin, mine)
