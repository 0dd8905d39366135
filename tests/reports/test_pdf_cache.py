"""A PDF download is kept, keyed on the SHA-256 of its exact HTML and of everything else
WeasyPrint is given: the same report again is the same bytes without a second render;
a changed score is a new PDF that shows it."""

import io
import json

from pypdf import PdfReader

from selfassess.assessments.models import Response
from selfassess.interchange.json_format import import_assessment
from selfassess.reports import pdf
from tests.conftest import use_report_cache_dir


def _text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _count_renders(monkeypatch) -> list:
    renders = []
    write = pdf._write
    monkeypatch.setattr(pdf, "_write", lambda html: renders.append(html) or write(html))
    return renders


def test_same_report_twice_is_one_render_and_a_changed_score_is_a_new_pdf(
    framework, council, seed002, viewer, login, monkeypatch, report_cache_dir
):
    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    renders = _count_renders(monkeypatch)
    client = login(viewer)
    url = f"/councils/example/assessments/{assessment.pk}/report/download/pdf/"

    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(renders) == 1
    # Seed 002's principles total 3, 3, 7, 9 and 6.
    assert _text(first.content).count("Total score 3 / 10") == 2
    assert len(list(report_cache_dir.glob("*.djcache"))) == 1

    # 1.3 was scored 0: scored 2 it puts principle 1 at 5 / 10 and the whole at 30 / 50.
    Response.objects.filter(assessment=assessment, statement__ref="1.3").update(score=2)
    third = client.get(url)
    assert len(renders) == 2
    assert third.content != first.content
    text = _text(third.content)
    assert "Total score 5 / 10" in text and "30 / 50" in text
    assert text.count("Total score 3 / 10") == 1  # principle 2's
    assert len(list(report_cache_dir.glob("*.djcache"))) == 2
    # Both versions are kept, each under its own content: the old one is served again.
    Response.objects.filter(assessment=assessment, statement__ref="1.3").update(score=0)
    assert client.get(url).content == first.content
    assert len(renders) == 2


def test_the_key_covers_the_html_and_the_stylesheet(monkeypatch):
    html = "<!DOCTYPE html><html lang='en-GB'><title>t</title><p>Total score 3 / 10</p>"
    key = pdf.cache_key(html)
    assert key == pdf.cache_key(html)
    assert key != pdf.cache_key(html.replace("3 / 10", "4 / 10"))
    pdf._renderer_digest.cache_clear()
    monkeypatch.setattr(pdf, "_stylesheet", lambda: b"html { color: red }")
    try:
        assert pdf.cache_key(html) != key
    finally:
        pdf._renderer_digest.cache_clear()


def test_a_broken_store_does_not_stop_a_download(
    framework, council, seed002, viewer, login, settings, tmp_path
):
    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    use_report_cache_dir(settings, blocker / "report-cache")  # cannot be created
    url = f"/councils/example/assessments/{assessment.pk}/report/download/pdf/"
    response = login(viewer).get(url)
    assert response.status_code == 200
    assert _text(response.content).count("Total score 3 / 10") == 2
