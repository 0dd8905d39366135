"""The toolkit as data: the bundled files are complete and verbatim, bad files are refused
with a message naming the field, versions never change under an assessment, and the
newest bundled version, with the statements' guidance, is the one new assessments use."""

import datetime
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from selfassess.assessments import services
from selfassess.assessments.models import Response
from selfassess.core.validation import Problems
from selfassess.frameworks.guidance import guided_actions
from selfassess.frameworks.loader import (
    BUNDLED_FRAMEWORK,
    BUNDLED_FRAMEWORKS,
    DATA,
    load_framework,
    parse_framework_file,
)
from selfassess.frameworks.models import Framework, Statement
from selfassess.frameworks.selectors import current_framework, framework_parts, version_key

SEED_000 = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_fc7e739159917cfb.txt"


def bundled() -> dict:
    return yaml.safe_load(BUNDLED_FRAMEWORK.read_text(encoding="utf-8"))


def write(tmp_path, data) -> Path:
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_bundled_toolkit_has_five_principles_of_five_statements(framework):
    assert (framework.slug, framework.version) == ("lga-ending-abuse", "2024-06.1")
    principles = list(framework.principles.order_by("number"))
    assert [p.title for p in principles] == [
        "Creating supportive and informed spaces",
        "Creating a risk-led approach",
        "Creating an infrastructure",
        "Creating connections",
        "Creating a culture of safety and respect",
    ]
    refs = list(Statement.objects.filter(framework=framework).values_list("ref", flat=True))
    assert refs == [f"{p}.{s}" for p in range(1, 6) for s in range(1, 6)]
    assert [(lv.value, lv.label) for lv in framework.levels.order_by("value")] == [
        (0, "Not addressed"),
        (1, "Partial"),
        (2, "Comprehensive"),
    ]


def test_scale_definitions_and_themes_are_the_toolkits_words(framework):
    levels = {lv.value: lv.definition for lv in framework.levels.all()}
    assert levels[0] == "No action taken or significant deficiencies observed."
    assert levels[2] == "Meets or goes above and beyond the requirements of the statement."
    p4 = framework.principles.get(number=4)
    assert p4.theme == "Relationships with local police (and wider partners as relevant)"
    assert p4.description.startswith("Proactively develop strong relationships with the police")


@pytest.mark.skipif(not SEED_000.exists(), reason="the shared seeds are not beside the repo")
def test_every_statement_appears_verbatim_in_the_blank_toolkit(framework):
    """Each statement, whitespace folded, is found in seed 000 once its PDF-split lines are
    joined: proves the transcription has no typos or repairs beyond joining."""
    seed = " ".join(SEED_000.read_text(encoding="utf-8").split())
    for statement in Statement.objects.filter(framework=framework):
        assert statement.text in seed, statement.ref


def test_no_pdf_extraction_damage_left(framework):
    texts = [s.text for s in Statement.objects.filter(framework=framework)]
    texts += [p.description for p in framework.principles.all()]
    for text in texts:
        assert "  " not in text and "\t" not in text and "Cor nprehensive" not in text


def test_loading_the_same_file_again_changes_nothing(framework):
    again = load_framework(BUNDLED_FRAMEWORK)
    assert again.created is False and again.framework.pk == framework.pk
    assert sorted(Framework.objects.values_list("version", flat=True)) == ["2024-06", "2024-06.1"]


def test_changed_content_under_an_existing_version_is_refused(framework, tmp_path):
    data = bundled()
    data["principles"][0]["statements"][0]["text"] = "Something else entirely."
    with pytest.raises(Problems) as exc:
        load_framework(write(tmp_path, data))
    assert "already loaded with different content" in str(exc.value)
    assert Statement.objects.get(framework=framework, ref="1.1").text.startswith("We recognise")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("aim"), "(top level): 'aim' is a required property"),
        (lambda d: d["scale"][1].update(value="one"), "scale[1].value"),
        (lambda d: d["principles"][2]["statements"][0].pop("text"), "principles[2].statements[0]"),
        (lambda d: d["principles"][1]["statements"][3].update(ref="2.9"), "expected '2.4'"),
        (lambda d: d["principles"][3].update(number=7), "principles[3].number: expected 4"),
        (lambda d: d.update(version="2024 06"), "version: '2024 06' does not match"),
        (lambda d: d.update(colour="blue"), "'colour' was unexpected"),
        (
            lambda d: d["principles"][0]["statements"][1]["guidance"].pop("partial"),
            "principles[0].statements[1].guidance: 'partial' is a required property",
        ),
        (
            lambda d: d["principles"][2]["statements"][0]["guidance"]["actions"][0].update(
                scores=[2]
            ),
            "principles[2].statements[0].guidance.actions[0].scores: 2 is not a score below "
            "the top of the scale (0, 1)",
        ),
        (
            lambda d: d["principles"][4]["statements"][4]["guidance"]["actions"][1].update(
                title=d["principles"][0]["statements"][0]["guidance"]["actions"][0]["title"]
                .upper()
                .replace("'", "")
            ),
            "principles[4].statements[4].guidance.actions[1].title: 'OPEN THE COUNCILS "
            "COUNSELLING AND EMPLOYEE ASSISTANCE SERVICE TO COUNCILLORS' is too like",
        ),
        (
            lambda d: d["principles"][1]["statements"][0]["guidance"]["actions"][0].update(
                title="General"
            ),
            "guidance.actions[0].title: 'General' cannot name a suggestion",
        ),
        (
            lambda d: d["principles"][1]["statements"][0]["guidance"]["actions"][0].update(
                lead="x" * 201
            ),
            "principles[1].statements[0].guidance.actions[0].lead: 'xxxxx",
        ),
    ],
)
def test_bad_file_is_rejected_with_the_field_named(db, tmp_path, mutate, expected):
    data = bundled()
    mutate(data)
    with pytest.raises(Problems) as exc:
        load_framework(write(tmp_path, data))
    assert any(expected in p for p in exc.value.problems), exc.value.problems
    assert Framework.objects.count() == 0


def test_command_reports_problems_and_loads_nothing(db, tmp_path):
    data = bundled()
    data["principles"][0].pop("theme")
    with pytest.raises(CommandError) as exc:
        call_command("load_framework", str(write(tmp_path, data)))
    assert "principles[0]: 'theme' is a required property" in str(exc.value)
    assert Framework.objects.count() == 0


def test_not_yaml_is_a_clear_error(db, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(Problems) as exc:
        load_framework(path)
    assert "not valid YAML" in str(exc.value)


def test_new_version_leaves_old_assessments_alone(framework, council, editor, tmp_path):
    old = services.create_assessment(
        council=council, user=editor, title="Baseline", assessed_on=datetime.date(2024, 6, 1)
    )
    data = bundled()
    data["version"] = "2025-06"
    data["principles"][0]["statements"][0]["text"] = "A reworded first statement."
    new_fw = load_framework(write(tmp_path, data)).framework
    assert current_framework() == new_fw
    first = Response.objects.select_related("statement").get(assessment=old, statement__ref="1.1")
    assert first.statement.framework_id == framework.pk
    assert first.statement.text.startswith("We recognise and acknowledge")
    newer = services.create_assessment(
        council=council, user=editor, title="Review", assessed_on=datetime.date(2025, 6, 1)
    )
    assert newer.framework == new_fw


def test_bundled_versions_are_every_file_in_data_oldest_first():
    assert set(BUNDLED_FRAMEWORKS) == set(DATA.glob("*.yaml"))
    versions = [parse_framework_file(path)["version"] for path in BUNDLED_FRAMEWORKS]
    assert versions == sorted(versions, key=version_key) == ["2024-06", "2024-06.1"]
    assert BUNDLED_FRAMEWORKS[-1] == BUNDLED_FRAMEWORK


def test_versions_sort_as_dates_with_numbers_as_numbers():
    versions = ["2024-06.10", "2025-01", "2024-06", "2024-06.2", "2024-07", "2024-06.1"]
    assert sorted(versions, key=version_key) == [
        "2024-06", "2024-06.1", "2024-06.2", "2024-06.10", "2024-07", "2025-01",
    ]  # fmt: skip


def test_newest_version_is_current_whatever_order_they_were_loaded_in(db, tmp_path):
    data = bundled()
    for version in ("2024-06.10", "2024-06.9"):
        data["version"] = version
        path = tmp_path / f"{version}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        load_framework(path)
    assert current_framework().version == "2024-06.10"  # as text, "2024-06.9" sorts after


def test_the_command_loads_every_bundled_version_and_the_newest_has_guidance(db):
    call_command("load_framework")
    call_command("load_framework")  # again: nothing changes
    assert sorted(Framework.objects.values_list("version", flat=True)) == ["2024-06", "2024-06.1"]
    newest = current_framework()
    assert newest.version == "2024-06.1"
    statement = Statement.objects.get(framework=newest, ref="2.2")
    assert statement.guidance["partial"] and statement.guidance["comprehensive"]
    assert len(statement.guidance["evidence"]) >= 3
    actions = guided_actions(statement)
    assert 2 <= len(actions) <= 4 and all(a.lead and a.key for a in actions)
    older = Statement.objects.get(framework__version="2024-06", ref="2.2")
    assert older.text == statement.text and older.guidance == {} and guided_actions(older) == []


def test_guidance_comes_with_the_toolkits_parts_read_once_per_process(framework):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    parts = framework_parts(framework)
    with CaptureQueriesContext(connection) as ctx:
        again = framework_parts(framework)
        titles = [a.title for s in again.statements.values() for a in guided_actions(s)]
    assert again is parts and len(ctx.captured_queries) == 0
    assert len(titles) == len(set(titles)) >= 50
