"""A council's admins choose whether it shares in benchmarks: off by default, explained
on the page where it is chosen, recorded in the audit log, and only for admins."""

import pytest

from selfassess.audit.models import Action, AuditEvent
from selfassess.councils.models import Council


@pytest.fixture(autouse=True)
def benchmarks_on(settings):
    settings.BENCHMARKS = True
    settings.BENCHMARK_K = 5
    settings.BENCHMARK_WINDOW_MONTHS = 24


URL = "/councils/example/benchmarks/"


def test_sharing_is_off_until_an_admin_chooses_it(council):
    assert Council.objects.get(pk=council.pk).shares_benchmarks is False


def test_the_page_explains_what_is_shared_and_published(council, admin, login):
    page = login(admin).get(URL)
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    for words in (
        "Example District Council does not share in benchmarks",
        "Only your latest agreed assessment",
        "agreed in the last 24 months",
        "Your evidence, your forward plan and your covering report are never shared",
        "A group is never shown with fewer than 6 councils",
        "counted with at least 5 others",
        'href="/benchmarks/"',
        "Nothing published names a council",
        "Benchmarks already published stay as they were: each is dated",
    ):
        assert words in text, words


def test_choosing_to_share_and_to_stop_is_recorded(council, admin, login):
    client = login(admin)
    response = client.post(URL, {"shares": "yes"}, follow=True)
    assert "now shares its latest agreed assessment" in response.content.decode()
    council.refresh_from_db()
    assert council.shares_benchmarks and council.shares_benchmarks_changed_at
    shared = AuditEvent.objects.get(action=Action.BENCHMARKS_SHARED)
    assert (shared.council, shared.actor, shared.ip_address) == (council, admin, "127.0.0.1")

    response = client.post(URL, {"shares": "no"}, follow=True)
    assert "Later snapshots leave it out" in response.content.decode()
    council.refresh_from_db()
    assert not council.shares_benchmarks
    withdrawn = AuditEvent.objects.get(action=Action.BENCHMARKS_WITHDRAWN)
    assert withdrawn.council == council and withdrawn.actor == admin
    # Saving the same choice again records nothing new.
    client.post(URL, {"shares": "no"})
    assert AuditEvent.objects.filter(action=Action.BENCHMARKS_WITHDRAWN).count() == 1
    log = client.get("/councils/example/audit/").content.decode()
    assert "Stopped sharing in benchmarks: later snapshots leave the council out" in log


def test_a_choice_that_is_not_offered_changes_nothing(council, admin, login):
    response = login(admin).post(URL, {"shares": "maybe"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not Council.objects.get(pk=council.pk).shares_benchmarks
    assert not AuditEvent.objects.filter(action=Action.BENCHMARKS_SHARED).exists()


def test_only_admins_choose(council, editor, viewer, outsider, login):
    for user in (editor, viewer):
        assert login(user).get(URL).status_code == 403
        assert login(user).post(URL, {"shares": "yes"}).status_code == 403
    assert login(outsider).post(URL, {"shares": "yes"}).status_code == 404
    assert not Council.objects.get(pk=council.pk).shares_benchmarks


def test_no_page_while_benchmarks_are_off(council, admin, login, settings):
    settings.BENCHMARKS = False
    assert login(admin).get(URL).status_code == 404
    assert login(admin).post(URL, {"shares": "yes"}).status_code == 404
    assert not Council.objects.get(pk=council.pk).shares_benchmarks
