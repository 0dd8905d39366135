"""The toolkit as data: the bundled file is complete and verbatim, bad files are refused
with a message naming the field, and versions never change under an assessment."""

import datetime
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from selfassess.assessments import services
from selfassess.assessments.models import Response
from selfassess.core.validation import Problems
from selfassess.frameworks.loader import BUNDLED_FRAMEWORK, load_framework
from selfassess.frameworks.models import Framework, Statement
from selfassess.frameworks.selectors import current_framework

SEED_000 = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_fc7e739159917cfb.txt"


def bundled() -> dict:
    return yaml.safe_load(BUNDLED_FRAMEWORK.read_text(encoding="utf-8"))


def write(tmp_path, data) -> Path:
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_bundled_toolkit_has_five_principles_of_five_statements(framework):
    assert (framework.slug, framework.version) == ("lga-ending-abuse", "2024-06")
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
    assert Framework.objects.count() == 1


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
