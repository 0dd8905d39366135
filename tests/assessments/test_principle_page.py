"""Scoring on the principle pages: save and come back, bad input, two editors at once,
history, and the read-only view."""

from selfassess.assessments.models import Change, Response

from .helpers import principle_post, url


def response(assessment, ref: str) -> Response:
    return Response.objects.get(assessment=assessment, statement__ref=ref)


def test_page_shows_theme_statements_and_scale_hints(assessment, login, editor):
    page = login(editor).get(url(assessment, "principles/3/")).content.decode()
    assert "Clarity of process and responsibility" in page
    assert "We have established a clear process for raising concerns" in page
    assert page.count('type="radio"') == 5 * 4  # 0, 1, 2 and "not scored yet"
    assert "Some measures in place but room for improvement." in page
    assert "<form" in page and 'method="post"' in page  # a plain form: no JavaScript needed


def test_save_and_come_back(assessment, login, editor):
    client = login(editor)
    data = principle_post(assessment, 1, {"1.1": {"score": 2, "evidence": "Members' portal"}})
    resp = client.post(url(assessment, "principles/1/"), data | {"continue": "1"})
    assert resp.status_code == 302 and resp["Location"].endswith("/principles/2/")
    saved = response(assessment, "1.1")
    assert (saved.score, saved.evidence, saved.version) == (2, "Members' portal", 1)
    page = client.get(url(assessment, "principles/1/")).content.decode()
    assert "Members&#x27; portal" in page
    assert 'value="2" checked' in page
    task_list = client.get(url(assessment)).content.decode()
    assert "In progress" in task_list and "Score 2 / 10, 4 unscored" in task_list


def test_score_can_be_cleared_back_to_unscored(assessment, login, editor):
    client = login(editor)
    client.post(
        url(assessment, "principles/1/"), principle_post(assessment, 1, {"1.1": {"score": 1}})
    )
    client.post(
        url(assessment, "principles/1/"), principle_post(assessment, 1, {"1.1": {"score": None}})
    )
    assert response(assessment, "1.1").score is None


def test_score_outside_the_scale_is_refused_and_nothing_saved(assessment, login, editor):
    client = login(editor)
    data = principle_post(
        assessment, 2, {"2.1": {"score": 3}, "2.2": {"score": 1, "evidence": "kept"}}
    )
    resp = client.post(url(assessment, "principles/2/"), data)
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "There is a problem" in page
    assert "Select a score for statement 2.1: 0 Not addressed, 1 Partial, 2 Comprehensive" in page
    assert 'href="#id_r2-1-score_0"' in page
    assert ">kept</textarea>" in page  # what the user typed is still there
    assert response(assessment, "2.2").score is None
    assert not Change.objects.filter(response__assessment=assessment).exists()


def test_evidence_beyond_the_maximum_is_refused(assessment, login, editor, settings):
    client = login(editor)
    too_long = "x" * (settings.EVIDENCE_MAX_LENGTH + 1)
    resp = client.post(
        url(assessment, "principles/1/"),
        principle_post(assessment, 1, {"1.3": {"evidence": too_long}}),
    )
    assert resp.status_code == 400
    assert "Evidence for statement 1.3 must be 10,000 characters or fewer" in resp.content.decode()
    assert response(assessment, "1.3").evidence == ""


def test_links_must_be_web_addresses(assessment, login, editor):
    client = login(editor)
    bad = principle_post(
        assessment, 1, {"1.1": {"links": "https://example.org/policy\njavascript:alert(1)"}}
    )
    resp = client.post(url(assessment, "principles/1/"), bad)
    assert resp.status_code == 400
    assert "is not a web address" in resp.content.decode()
    good = principle_post(
        assessment, 1, {"1.1": {"links": " https://example.org/policy \n\nhttps://example.org/b"}}
    )
    assert client.post(url(assessment, "principles/1/"), good).status_code == 302
    assert response(assessment, "1.1").links == [
        "https://example.org/policy",
        "https://example.org/b",
    ]


def test_unknown_principle_is_not_found(assessment, login, editor):
    assert login(editor).get(url(assessment, "principles/6/")).status_code == 404


def test_second_editor_is_told_and_shown_both_versions(assessment, login, editor, second_editor):
    first, second = login(editor), login(second_editor)
    opened_by_second = principle_post(assessment, 4)  # both open the page at version 0
    first.post(
        url(assessment, "principles/4/"),
        principle_post(assessment, 4, {"4.1": {"score": 2, "evidence": "Weekly CSP meetings"}}),
    )
    opened_by_second["r4-1-score"] = "1"
    opened_by_second["r4-1-evidence"] = "Ad hoc contact only"
    opened_by_second["r4-2-score"] = "1"
    resp = second.post(url(assessment, "principles/4/"), opened_by_second)
    assert resp.status_code == 409
    page = resp.content.decode()
    assert "Someone else saved changes while you were editing" in page
    assert "Statement 4.1 was changed by Eddie Editor" in page
    assert "Weekly CSP meetings" in page  # their version
    assert ">Ad hoc contact only</textarea>" in page  # yours, still in the form
    saved = response(assessment, "4.1")
    assert (saved.score, saved.evidence) == (2, "Weekly CSP meetings")
    assert response(assessment, "4.2").score is None  # nothing from that post was saved

    # Saving again, having seen their version, replaces it on purpose.
    resubmit = opened_by_second | {"r4-1-version": str(saved.version)}
    assert second.post(url(assessment, "principles/4/"), resubmit).status_code == 302
    saved.refresh_from_db()
    assert (saved.score, saved.evidence) == (1, "Ad hoc contact only")
    assert response(assessment, "4.2").score == 1


def test_stale_form_that_changes_nothing_new_is_not_a_conflict(
    assessment, login, editor, second_editor
):
    stale = principle_post(assessment, 5)
    login(editor).post(
        url(assessment, "principles/5/"), principle_post(assessment, 5, {"5.1": {"score": 1}})
    )
    stale["r5-1-score"] = "1"  # the same value the other editor saved
    stale["r5-2-score"] = "2"
    assert login(second_editor).post(url(assessment, "principles/5/"), stale).status_code == 302
    assert response(assessment, "5.2").score == 2


def test_every_change_is_kept_with_who_when_before_after(assessment, login, editor, second_editor):
    login(editor).post(
        url(assessment, "principles/1/"),
        principle_post(assessment, 1, {"1.2": {"score": 0, "evidence": "None yet"}}),
    )
    login(second_editor).post(
        url(assessment, "principles/1/"),
        principle_post(assessment, 1, {"1.2": {"score": 1}}),
    )
    changes = list(response(assessment, "1.2").changes.order_by("at", "id"))
    assert [(c.field, c.before, c.after, c.user.email) for c in changes] == [
        ("score", "", "0", "editor@example.org"),
        ("evidence", "", "None yet", "editor@example.org"),
        ("score", "0", "1", "editor2@example.org"),
    ]
    page = login(editor).get(url(assessment, "statements/1.2/history/")).content.decode()
    assert page.count('<tr class="govuk-table__row">') == 4  # header + 3 changes
    assert "Erin Editor" in page and "None yet" in page


def test_history_of_an_unknown_statement_is_not_found(assessment, login, editor):
    assert login(editor).get(url(assessment, "statements/9.9/history/")).status_code == 404


def test_removed_person_shows_as_former_user(assessment, login, editor, second_editor):
    login(second_editor).post(
        url(assessment, "principles/1/"), principle_post(assessment, 1, {"1.1": {"score": 2}})
    )
    second_editor.delete()
    page = login(editor).get(url(assessment, "statements/1.1/history/")).content.decode()
    assert "Former user" in page
    assert response(assessment, "1.1").score == 2


def test_viewer_reads_but_cannot_change(assessment, login, viewer):
    client = login(viewer)
    page = client.get(url(assessment, "principles/1/")).content.decode()
    assert "<textarea" not in page and 'type="radio"' not in page
    assert "Statements, scores and evidence" in page
    resp = client.post(
        url(assessment, "principles/1/"), principle_post(assessment, 1, {"1.1": {"score": 2}})
    )
    assert resp.status_code == 403
    assert response(assessment, "1.1").score is None


def test_evidence_is_escaped_everywhere_it_is_shown(assessment, login, editor):
    client = login(editor)
    hostile = '<script>alert("x")</script> & "quotes" ŵ ŷ 🙂'
    client.post(
        url(assessment, "principles/1/"),
        principle_post(assessment, 1, {"1.1": {"score": 1, "evidence": hostile}}),
    )
    for path in ("principles/1/", "statements/1.1/history/"):
        page = client.get(url(assessment, path)).content.decode()
        assert "<script>alert" not in page
        assert (
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot; ŵ ŷ 🙂"
            in page
        )
    assert response(assessment, "1.1").evidence == hostile


def test_stale_page_does_not_undo_a_colleagues_save_it_never_touched(
    assessment, login, editor, second_editor
):
    opened_by_first = principle_post(assessment, 1)
    login(second_editor).post(
        url(assessment, "principles/1/"),
        principle_post(assessment, 1, {"1.1": {"score": 2, "evidence": "Erin's evidence"}}),
    )
    opened_by_first["r1-2-score"] = "1"  # the first editor changes only 1.2
    assert login(editor).post(url(assessment, "principles/1/"), opened_by_first).status_code == 302
    kept = response(assessment, "1.1")
    assert (kept.score, kept.evidence) == (2, "Erin's evidence")
    assert response(assessment, "1.2").score == 1


def test_after_a_conflict_untouched_statements_show_the_newer_values(
    assessment, login, editor, second_editor
):
    opened_by_first = principle_post(assessment, 1)
    login(second_editor).post(
        url(assessment, "principles/1/"),
        principle_post(
            assessment, 1, {"1.1": {"evidence": "Erin on 1.1"}, "1.2": {"evidence": "Erin on 1.2"}}
        ),
    )
    opened_by_first["r1-2-evidence"] = "Eddie on 1.2"  # in conflict with Erin
    first = login(editor)
    page = first.post(url(assessment, "principles/1/"), opened_by_first)
    assert page.status_code == 409
    html = page.content.decode()
    assert ">Erin on 1.1</textarea>" in html  # refreshed: the first editor never touched it
    assert ">Eddie on 1.2</textarea>" in html  # theirs to decide on
    assert "Statement 1.1 was changed" not in html and "Statement 1.2 was changed" in html


def test_tampered_hidden_fields_are_a_clear_error(assessment, login, editor):
    data = principle_post(assessment, 1, {"1.1": {"score": 2}})
    data["r1-1-version"] = "abc"
    del data["r1-3-version"]
    resp = login(editor).post(url(assessment, "principles/1/"), data)
    assert resp.status_code == 400
    assert "This page is out of date or incomplete" in resp.content.decode()
    assert response(assessment, "1.1").score is None


def test_evidence_with_windows_line_endings_counts_characters_typed(assessment, login, editor):
    typed = ("a" * 99 + "\n") * 100  # exactly 10,000 characters
    sent = typed.replace("\n", "\r\n")
    resp = login(editor).post(
        url(assessment, "principles/1/"), principle_post(assessment, 1, {"1.1": {"evidence": sent}})
    )
    assert resp.status_code == 302
    assert response(assessment, "1.1").evidence == typed.strip()


def test_odd_statement_refs_in_the_address_are_not_found(assessment, login, editor):
    client = login(editor)
    for ref in ("1.1%00", "x", "1", "1.1.1"):
        assert client.get(url(assessment, f"statements/{ref}/history/")).status_code == 404
