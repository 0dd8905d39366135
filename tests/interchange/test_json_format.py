"""The JSON interchange format: export carries totals, import is all or nothing and
names every problem's place in the file."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from selfassess.assessments.models import Assessment, Response
from selfassess.core.validation import Problems
from selfassess.councils.models import Council
from selfassess.interchange.json_format import export_assessment, import_assessment


def test_round_trip_is_lossless(framework, council, seed002):
    first = import_assessment(json.dumps(seed002), council=council).assessment
    exported = export_assessment(first)
    assert exported["totals"] == {
        "1": 3,
        "2": 3,
        "3": 7,
        "4": 9,
        "5": 6,
        "overall": 28,
        "max": 50,
        "unscored": 0,
    }
    again = import_assessment(json.dumps(exported), council=council).assessment
    assert export_assessment(again)["responses"] == exported["responses"] == seed002["responses"]


def test_import_without_council_finds_it_by_name_or_creates_it(framework, seed002):
    one = import_assessment(json.dumps(seed002))
    assert one.council_created and one.assessment.council.slug == "example-district-council"
    two = import_assessment(json.dumps(seed002))
    assert not two.council_created and two.assessment.council == one.assessment.council
    assert Council.objects.count() == 1


def test_totals_in_a_file_are_ignored(framework, council, seed002):
    lying = copy.deepcopy(seed002)
    lying["totals"] = {"1": 10, "overall": 50}
    assessment = import_assessment(json.dumps(lying), council=council).assessment
    assert export_assessment(assessment)["totals"]["overall"] == 28


def test_a_bad_file_imports_nothing_and_lists_every_problem(framework, council, seed002):
    bad = copy.deepcopy(seed002)
    bad["responses"][0]["score"] = 3
    bad["responses"][4]["ref"] = "9.9"
    bad["responses"][6]["evidence"] = "x" * 10_001
    bad["responses"][7]["links"] = ["not a link"]
    bad["assessed_on"] = "2024-02-30"
    with pytest.raises(Problems) as exc:
        import_assessment(json.dumps(bad), council=council)
    problems = exc.value.problems
    assert any(p.startswith("responses[0].score:") for p in problems)
    assert any(p.startswith("responses[6].evidence:") for p in problems)
    assert not Assessment.objects.exists() and not Response.objects.exists()

    bad = copy.deepcopy(seed002)
    bad["responses"][4]["ref"] = "9.9"
    bad["responses"][7]["links"] = ["not a link"]
    bad["responses"][9]["ref"] = "1.1"
    bad["assessed_on"] = "2024-02-30"
    with pytest.raises(Problems) as exc:
        import_assessment(json.dumps(bad), council=council)
    assert set(exc.value.problems) >= {
        "responses[4].ref: '9.9' is not a statement of this toolkit",
        "responses[7].links[0]: 'not a link' is not a web address",
        "responses[9].ref: '1.1' appears more than once",
        "assessed_on: '2024-02-30' is not a real date (YYYY-MM-DD)",
    }
    assert not Assessment.objects.exists()


def test_unknown_framework_and_broken_json(framework, council, seed002):
    other = copy.deepcopy(seed002)
    other["framework"]["version"] = "1999-01"
    with pytest.raises(Problems, match="framework: lga-ending-abuse 1999-01 is not loaded"):
        import_assessment(json.dumps(other), council=council)
    with pytest.raises(Problems, match="line 1, column"):
        import_assessment('{"format": ', council=council)


def test_complete_import_needs_sign_off_and_every_score(framework, council, seed002):
    done = copy.deepcopy(seed002) | {"status": "complete"}
    with pytest.raises(Problems, match="sign_off"):
        import_assessment(json.dumps(done), council=council)
    done["sign_off"] = {"agreed_by": "Standards Committee", "agreed_on": "2024-06-12"}
    done["responses"][3]["score"] = None
    with pytest.raises(Problems, match="unscored: 1.4"):
        import_assessment(json.dumps(done), council=council)
    done["responses"][3]["score"] = 1
    a = import_assessment(json.dumps(done), council=council).assessment
    assert a.is_complete and a.agreed_by == "Standards Committee"


def test_commands_export_and_import(framework, council, seed002, tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(seed002), encoding="utf-8")
    call_command("import_assessment", str(source), "--council", "example")
    assessment = Assessment.objects.get()
    out = tmp_path / "out.json"
    call_command("export_assessment", str(assessment.pk), "--format", "json", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "selfassess/assessment@1"
    assert data["totals"]["overall"] == 28
    assert data["council"] == {"name": "Example District Council", "type": "district"}


def test_import_command_reports_problems(framework, council, seed002, tmp_path):
    bad = copy.deepcopy(seed002)
    bad["responses"][2]["score"] = "two"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_assessment", str(path))
    assert "nothing was changed" in str(exc.value)
    assert "responses[2].score" in str(exc.value)
    assert not Assessment.objects.exists()
    with pytest.raises(CommandError, match="no council with slug"):
        call_command("import_assessment", str(path), "--council", "nowhere")


def test_download_from_the_assessment_page(framework, council, seed002, login, viewer):
    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    resp = login(viewer).get(f"/councils/example/assessments/{assessment.pk}/report/download/json/")
    assert resp.status_code == 200
    assert (
        'filename="example-district-council-baseline-2024-2024-06-12.json"'
        in resp["Content-Disposition"]
    )
    assert json.loads(resp.content)["totals"]["overall"] == 28


def test_text_that_cannot_be_stored_is_listed_not_crashed_on(framework, council, seed002):
    bad = copy.deepcopy(seed002) | {"status": "complete"}
    bad["responses"][0]["evidence"] = "nul \x00 here"
    bad["responses"][1]["evidence"] = "lone \ud800 surrogate"
    bad["title"] = "   "
    bad["sign_off"] = {"agreed_by": "  ", "agreed_on": "2024-06-12"}
    text = json.dumps(bad)  # JSON escapes keep the NUL and the lone surrogate
    with pytest.raises(Problems) as exc:
        import_assessment(text, council=council)
    assert set(exc.value.problems) >= {
        "responses[0].evidence: contains a NUL character, which cannot be stored",
        "responses[1].evidence: contains characters that are not valid Unicode",
        "title: must not be blank",
        "sign_off.agreed_by: must not be blank",
    }
    assert not Assessment.objects.exists()


def test_files_with_odd_shapes_are_refused_with_a_clear_message(framework, council, seed002):
    from selfassess.core.validation import place
    from selfassess.interchange.json_format import parse_import

    plain = json.dumps(seed002)
    assert parse_import("\ufeff" + plain)["title"] == seed002["title"]  # Notepad's BOM
    seed002["responses"][0]["score"] = 1.0
    whole = r"responses\[0\]\.score: must be a whole number or null, not 1.0"
    with pytest.raises(Problems, match=whole):
        parse_import(json.dumps(seed002))
    seed002["responses"][0]["score"] = 1
    seed002["title"] = "x" * 20_000
    with pytest.raises(Problems) as caught:
        parse_import(json.dumps(seed002))
    assert caught.value.problems[0].startswith("title: 'xxx")
    assert all(len(p) < 400 for p in caught.value.problems)
    assert place(["responses", 0, "odd\nkey"]) == 'responses[0]["odd\\nkey"]'
    assert place(["council", "name"]) == "council.name"
