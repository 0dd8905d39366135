"""Seed 002, one council's completed assessment, must total 3, 3, 7, 9, 6 and 28 / 50:
whether it arrives by the JSON import or is typed into the principle pages."""

import json

from selfassess.assessments.forms import field_prefix
from selfassess.assessments.selectors import assessment_view, totals_of
from selfassess.frameworks.selectors import framework_parts
from selfassess.interchange.json_format import import_assessment

SEED_TOTALS = [3, 3, 7, 9, 6]


def principle_totals(assessment):
    view = assessment_view(assessment)
    return [p.totals.total for p in view.principles], view.totals


def test_seed_002_imported_totals(framework, council, seed002):
    result = import_assessment(json.dumps(seed002), council=council)
    totals, overall = principle_totals(result.assessment)
    assert totals == SEED_TOTALS
    assert (overall.total, overall.maximum, overall.unscored) == (28, 50, 0)
    assert overall.counts == {0: 6, 1: 10, 2: 9}


def test_seed_002_typed_into_the_principle_pages(assessment, seed002, login, editor):
    client = login(editor)
    by_principle: dict[int, list[dict]] = {}
    for item in seed002["responses"]:
        by_principle.setdefault(int(item["ref"].split(".")[0]), []).append(item)
    for number, items in by_principle.items():
        url = f"/councils/example/assessments/{assessment.pk}/principles/{number}/"
        data = {}
        for item in items:
            p = field_prefix(item["ref"])
            data |= {
                f"{p}-score": str(item["score"]),
                f"{p}-evidence": item["evidence"],
                f"{p}-links": "",
                f"{p}-version": "0",
            }
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    totals, overall = principle_totals(assessment)
    assert totals == SEED_TOTALS
    assert overall.total == 28 and overall.maximum == 50
    page = client.get(f"/councils/example/assessments/{assessment.pk}/").content.decode()
    assert "28 / 50" in page
    for n, total in enumerate(SEED_TOTALS, start=1):
        assert f"Score {total} / 10" in page, n
    evidence = client.get(
        f"/councils/example/assessments/{assessment.pk}/principles/4/"
    ).content.decode()
    assert "Kent and Medway Information Sharing Protocol" in evidence


def test_unscored_is_never_counted_as_zero(framework):
    totals = totals_of([2, None, 1, None, None], framework_parts(framework))
    assert (totals.total, totals.maximum, totals.scored, totals.unscored) == (3, 10, 2, 3)
    assert totals.counts == {0: 0, 1: 1, 2: 1}


def test_new_assessment_shows_everything_unscored(assessment, login, editor):
    page = login(editor).get(f"/councils/example/assessments/{assessment.pk}/").content.decode()
    assert "0 / 50" in page
    assert "25 of 25 statements unscored" in page
    assert page.count("Not started") == 5
