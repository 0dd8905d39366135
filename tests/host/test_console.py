"""The host console: staff only; every council with its type, region, size band, last
assessment and whether it shares; adoption figures; a council created and its first admin
invited from the web, by email through the outbox; type, region and size corrected; a
benchmark published on request through the queue."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from selfassess.audit.models import Action, AuditEvent
from selfassess.benchmarks.models import Snapshot
from selfassess.councils.models import Council, Invitation, Membership, Role

from ..benchmarks.conftest import agree, make_council, random_scores, surveyed
from ..conftest import give_totp


@pytest.fixture(autouse=True)
def benchmarks_on(settings):
    settings.BENCHMARKS = True
    settings.BENCHMARK_K = 3
    settings.SURVEY_MIN_RESPONSES = 2


@pytest.fixture
def staff(db):
    from selfassess.accounts.models import User

    user = User.objects.create_user(
        email="host@example.org", password="a long test password", full_name="Hal Host"
    )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    give_totp(user)
    return user


PAGES = ["/host/", "/host/councils/new/", "/host/councils/{pk}/"]


def test_only_staff_find_the_console(council, admin, editor, staff, login, client):
    for path in PAGES:
        url = path.format(pk=council.pk)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
            for user in (admin, editor):
                assert getattr(login(user), method)(url).status_code == 404, (user, url)
        assert login(staff).get(url).status_code == 200
    assert login(admin).post("/host/benchmarks/publish/").status_code == 404
    assert login(staff).get("/host/benchmarks/publish/").status_code == 405
    assert not Snapshot.objects.exists()


def test_staff_without_two_factor_set_it_up_first(council, login):
    from selfassess.accounts.models import User

    user = User.objects.create_user(email="new-host@example.org", password="a long password!")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    response = login(user).get("/host/")
    assert response.status_code == 302 and "/2fa/totp/activate" in response["Location"]


def test_every_council_with_its_details_and_last_assessment(framework, staff, login):
    district = make_council("dale", "district", "east")
    district.councillors = 43
    district.save()
    agree(district, random_scores(1), days_ago=5)
    quiet = make_council("quiet", "county", "", shares=False)
    page = login(staff).get("/host/").content.decode()
    rows = {
        re.search(r">/councils/([\w-]+)/<", row).group(1): " ".join(
            re.sub(r"<[^>]+>", " ", row.split("</tr>")[0]).split()
        )
        for row in page.split('<tr class="govuk-table__row">')[2:]
    }
    dale = rows["dale"]
    assert "District council" in dale and "East of England" in dale
    assert "41 to 60 councillors" in dale
    agreed_on = timezone.localdate() - datetime.timedelta(days=5)
    assert f"Agreed {agreed_on:%-d %b %Y}" in dale and dale.endswith("Yes")
    q = rows["quiet"]
    assert "County council" in q and "Not set" in q and "Not known" in q
    assert "None yet" in q and q.endswith("No")
    assert quiet.pk


def test_filters_and_pages(framework, staff, login):
    for i in range(55):
        make_council(f"c{i:02}", "district" if i % 2 else "unitary", "london", shares=i < 3)
    client = login(staff)
    first = client.get("/host/").content.decode()
    assert "55 councils, page 1 of 2" in first and "/councils/c49/" in first
    assert "/councils/c50/" not in first
    second = client.get("/host/?page=2").content.decode()
    assert "/councils/c54/" in second
    sharing = client.get("/host/?shares=yes").content.decode()
    assert "3 councils" in sharing and "/councils/c03/" not in sharing
    named = client.get("/host/?q=c1&type=district").content.decode()
    assert "/councils/c11/" in named and "/councils/c12/" not in named
    # Nonsense filters are ignored, never an error.
    assert client.get("/host/?type=castle&page=zz").status_code == 200


def test_adoption_figures(framework, staff, login, settings):
    this_year = timezone.localdate()
    a = make_council("a1", "district", "east")
    b = make_council("b1", "district", "east", shares=False)
    agree(a, random_scores(1), days_ago=0)
    agree(b, random_scores(2), days_ago=0)
    agree(b, random_scores(3), days_ago=0)  # a council counts once
    old = agree(make_council("c1", "district", "east"), random_scores(3), days_ago=800)
    surveyed(a.assessments.get(), 1, answers=3)
    surveyed(old, 1, answers=2)
    page = " ".join(re.sub(r"<[^>]+>", " ", login(staff).get("/host/").content.decode()).split())
    year = this_year.year
    assert f"Councils with an assessment agreed in {year} 2 (67%)" in page
    assert f"Councillor feedback rounds opened in {year} 2" in page
    assert "Councillors who answered them 5" in page
    assert "Councils sharing in benchmarks 2" in page


def test_the_host_creates_a_council_and_invites_its_first_admin(framework, staff, login, smtp):
    client = login(staff)
    response = client.post(
        "/host/councils/new/",
        {
            "name": "  Newtown   Town Council ",
            "slug": "",
            "type": "town_parish",
            "region": "south_west",
            "councillors": "12",
            "email": "Clerk@Newtown.example",
            "full_name": "Cleo Clerk",
        },
        follow=True,
    )
    assert "Created Newtown Town Council" in response.content.decode()
    council = Council.objects.get(slug="newtown-town-council")
    assert (council.name, council.type, council.region, council.councillors) == (
        "Newtown Town Council",
        "town_parish",
        "south_west",
        12,
    )
    assert not council.shares_benchmarks
    invitation = Invitation.objects.get(council=council)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "clerk@newtown.example",
        Role.ADMIN,
        staff,
    )
    [message] = smtp.to("clerk@newtown.example")  # through the outbox, to a real SMTP server
    link = next(line for line in smtp.body(message).splitlines() if "/invitations/" in line)
    actions = set(AuditEvent.objects.filter(council=council).values_list("action", flat=True))
    assert actions == {Action.COUNCIL_CREATED, Action.INVITED}
    # The first admin accepts and becomes the council's admin.
    path = link.strip().split("testserver")[1]
    accepted = Client().post(
        path,
        {
            "full_name": "Cleo Clerk",
            "password1": "a fresh long pass 9",
            "password2": "a fresh long pass 9",
        },
    )
    assert accepted.status_code == 302
    assert Membership.objects.get(council=council).role == Role.ADMIN


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "Enter the council’s name"),
        ({"slug": "Not A Slug"}, "Use only lower-case letters a to z"),
        ({"slug": "example"}, "The address /councils/example/ is taken"),
        ({"type": "castle"}, "Choose the type of council"),
        ({"region": ""}, "Choose the council’s region or nation"),
        ({"councillors": "0"}, "whole number from 1 to 500"),
        ({"councillors": "lots"}, "whole number from 1 to 500"),
        ({"email": "nobody"}, "Enter an email address in the correct format"),
        ({"email": "alıce@example.org"}, "only the letters a to z"),
    ],
)
def test_a_council_that_cannot_be_made_is_refused_whole(
    framework, council, staff, login, change, message
):
    client = login(staff)
    before = (Council.objects.count(), Invitation.objects.count(), AuditEvent.objects.count())
    good = {
        "name": "Newtown Town Council",
        "type": "town_parish",
        "region": "south_west",
        "email": "clerk@newtown.example",
    }
    response = client.post("/host/councils/new/", good | change)
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and message in body
    after = (Council.objects.count(), Invitation.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_the_host_corrects_type_region_and_size(council, staff, login):
    url = f"/host/councils/{council.pk}/"
    client = login(staff)
    assert 'value="district" selected' in client.get(url).content.decode()
    response = client.post(url, {"type": "unitary", "region": "yorkshire", "councillors": "51"})
    assert response.status_code == 302
    council.refresh_from_db()
    assert (council.type, council.region, council.councillors) == ("unitary", "yorkshire", 51)
    event = AuditEvent.objects.get(action=Action.COUNCIL_CHANGED)
    assert event.council == council and event.actor == staff
    assert "to Unitary authority, Yorkshire and the Humber, 51 councillors" in event.summary
    refused = client.post(url, {"type": "unitary", "region": "mars", "councillors": ""})
    assert refused.status_code == 400
    council.refresh_from_db()
    assert council.region == "yorkshire"
    assert client.get("/host/councils/999999/").status_code == 404


def test_publish_now_queues_the_task(framework, staff, login, settings):
    for i in range(4):
        agree(make_council(f"s{i}", "district", "east"), random_scores(i))
    client = login(staff)
    client.get("/host/")
    assert not Snapshot.objects.exists()  # a page never computes one
    response = client.post("/host/benchmarks/publish/", follow=True)
    assert "A new benchmark is queued" in response.content.decode()
    snapshot = Snapshot.objects.get()  # the queue ran it (immediate mode in tests)
    event = AuditEvent.objects.get(action=Action.BENCHMARK_PUBLISHED)
    assert event.actor == staff and str(snapshot.pk) in event.summary
    settings.BENCHMARKS = False
    response = client.post("/host/benchmarks/publish/", follow=True)
    assert "Benchmarks are off" in response.content.decode()
    assert Snapshot.objects.count() == 1
