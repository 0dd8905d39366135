"""Councillor feedback end to end: invitations over real SMTP, answering through the
link, one response per link, anonymity by construction, and the refusals."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from selfassess.core.dates import long_date
from selfassess.feedback import services, tokens
from selfassess.feedback.models import Ballot, Round, SurveyResponse

PEOPLE = "Cllr Jo Bloggs, jo@example.gov.uk\nCllr Sam Ng, sam@example.gov.uk\n"


def round_url(r, tail=""):
    return f"/councils/example/assessments/{r.assessment_id}/feedback/{r.pk}/{tail}"


def invite_and_send(client, open_round, people=PEOPLE):
    assert client.post(round_url(open_round), {"people": people}).status_code == 302
    assert client.post(round_url(open_round, "send/"), {"what": "invitations"}).status_code == 302


def answer_everything(client, link, answer="1", comment="", experience=None):
    """Go through every page as a councillor would, then send."""
    start = client.get(link)
    assert start.status_code == 200, start.content[:300]
    for page in range(1, 6):
        ref_page = client.get(f"{link}page/{page}/").content.decode()
        refs = [f"{page}.{n}" for n in range(1, 6)]
        assert all(f'name="s{r}"' in ref_page for r in refs)
        data = {f"s{r}": answer for r in refs} | {"comment": comment if page == 1 else ""}
        resp = client.post(f"{link}page/{page}/", data)
        assert resp.status_code == 302, resp.content.decode()[:1000]
    resp = client.post(f"{link}page/6/", experience or {})
    assert resp.status_code == 302
    return client.post(f"{link}check/")


def test_invitations_arrive_over_smtp_with_personal_links(open_round, login, admin, smtp):
    invite_and_send(login(admin), open_round)
    assert len(smtp.messages) == 2
    jo = smtp.to("jo@example.gov.uk")[0]
    assert "Example District Council" in jo["Subject"]
    body = smtp.body(jo)
    assert body.startswith("Dear Cllr Jo Bloggs,") and "anonymous" in body
    links = {smtp.link(m) for m in smtp.messages}
    assert len(links) == 2 and all(link.startswith("/survey/") for link in links)
    assert Ballot.objects.filter(sent_at__isnull=False).count() == 2
    # the database keeps only hashes of the tokens in the links
    token = smtp.link(jo).split("/")[2]
    assert not Ballot.objects.filter(token_hash=token).exists()
    assert Ballot.objects.filter(token_hash=tokens.token_hash(token)).exists()


def test_a_councillor_answers_on_a_phone_and_the_link_then_stops(open_round, login, admin, smtp):
    invite_and_send(login(admin), open_round)
    link = smtp.link(smtp.to("sam@example.gov.uk")[0])
    councillor = Client()
    intro = councillor.get(link).content.decode()
    assert "Your answers are anonymous" in intro and "From the Monitoring Officer." in intro
    resp = answer_everything(
        councillor,
        link,
        answer="2",
        comment="Support is patchy",
        experience={"frequency": "Several times", "where": ["In person", "By phone"]},
    )
    assert resp.status_code == 302 and resp["Location"] == "/survey/done/"
    assert "Answers sent" in councillor.get("/survey/done/").content.decode()
    (response,) = SurveyResponse.objects.all()
    assert response.answers["statements"]["3.4"] == 2
    assert response.answers["comments"] == {"1": "Support is patchy"}
    assert response.answers["experience"] == {
        "frequency": "Several times",
        "where": ["In person", "By phone"],
    }
    again = councillor.get(link)
    assert (
        again.status_code == 410 and "You have already sent your answers" in again.content.decode()
    )
    assert councillor.post(f"{link}check/").status_code == 410
    assert SurveyResponse.objects.count() == 1
    sam = Ballot.objects.get(email="sam@example.gov.uk")
    assert sam.answered and sam.draft in (b"", memoryview(b""))


def test_no_path_from_a_response_to_a_person(open_round, login, admin, smtp):
    """The response table holds the round and the answers, nothing else; drafts are
    unreadable without the link; and nothing is left to join on once answers are sent."""
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert fields == {"id", "round", "answers"}
    assert SurveyResponse._meta.pk.get_internal_type() == "UUIDField"  # no telling order
    invite_and_send(login(admin), open_round)
    link = smtp.link(smtp.to("jo@example.gov.uk")[0])
    councillor = Client()
    councillor.post(
        f"{link}page/1/",
        {f"s1.{n}": "0" for n in range(1, 6)} | {"comment": "My neighbour threatened me"},
    )
    jo = Ballot.objects.get(email="jo@example.gov.uk")
    assert bytes(jo.draft) and b"neighbour" not in bytes(jo.draft)  # encrypted with the link
    assert tokens.unseal("a-wrong-token", bytes(jo.draft)) == {}
    answer_everything(councillor, link)
    jo.refresh_from_db()
    assert bytes(jo.draft) == b""
    response = SurveyResponse.objects.get()
    stored = repr(response.answers)
    assert "jo@example.gov.uk" not in stored and "Jo Bloggs" not in stored


def test_refusals_are_clear_pages(open_round, login, admin, smtp):
    councillor = Client()
    bad = councillor.get("/survey/not-a-real-token/")
    assert bad.status_code == 404 and "This link is not valid" in bad.content.decode()
    invite_and_send(login(admin), open_round)
    link = smtp.link(smtp.to("jo@example.gov.uk")[0])
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    assert councillor.get(tampered).status_code == 404
    missing = councillor.post(f"{link}page/2/", {"s2.1": "1"})
    assert missing.status_code == 400
    page = missing.content.decode()
    assert "Select an answer for statement 2.2, or “Don&#x27;t know”" in page
    assert (
        councillor.post(f"{link}page/1/", {f"s1.{n}": "7" for n in range(1, 6)}).status_code == 400
    )
    assert councillor.post(f"{link}page/6/", {"frequency": "Daily"}).status_code == 400
    early = councillor.post(f"{link}check/")
    assert (
        early.status_code == 400 and "Some statements have no answer yet" in early.content.decode()
    )
    assert not SurveyResponse.objects.exists()
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    closed = councillor.get(link)
    assert closed.status_code == 410 and "This survey has closed" in closed.content.decode()


def test_reminders_keep_the_link_and_part_way_answers(open_round, login, admin, smtp):
    """A reminder goes only to those who have not answered, with the same link as the
    invitation, so a councillor's part-way answers are still there."""
    client = login(admin)
    invite_and_send(client, open_round)
    jo_link = smtp.link(smtp.to("jo@example.gov.uk")[0])
    sam_link = smtp.link(smtp.to("sam@example.gov.uk")[0])
    answer_everything(Client(), jo_link)
    sam = Client()
    data = {f"s1.{n}": "2" for n in range(1, 6)} | {"comment": "Half way through"}
    assert sam.post(f"{sam_link}page/1/", data).status_code == 302
    smtp.messages.clear()
    client.post(round_url(open_round, "send/"), {"what": "reminders"})
    assert [m["To"] for m in smtp.messages] == ["sam@example.gov.uk"]
    reminder = smtp.messages[0]
    assert reminder["Subject"].startswith("Reminder:")
    assert smtp.link(reminder) == sam_link
    assert "your answers so far are kept" in smtp.body(reminder)
    page = sam.get(f"{sam_link}page/1/").content.decode()
    assert page.count("checked") == 5 and "Half way through" in page
    # The round's page counts answers, and never says who gave them.
    round_page = client.get(round_url(open_round)).content.decode()
    assert "1 of 2 invited councillors" in round_page
    assert "Answered" not in round_page and "Not yet" not in round_page


def test_shared_link_with_access_code(open_round):
    councillor = Client()
    url = f"/survey/shared/{open_round.public_id}/"
    wrong = councillor.post(url, {"code": "WRONG-CODE"})
    assert wrong.status_code == 400 and "The access code is not right" in wrong.content.decode()
    right = councillor.post(url, {"code": open_round.access_code.lower()})
    assert right.status_code == 302
    link = right["Location"]
    answer_everything(councillor, link)
    assert SurveyResponse.objects.count() == 1
    assert councillor.get(link).status_code == 410
    assert Client().get(f"/survey/shared/{open_round.assessment.pk}/").status_code == 404


def test_invitation_list_problems_add_nobody(open_round, login, admin):
    client = login(admin)
    resp = client.post(
        round_url(open_round),
        {"people": "Jo, jo@example.gov.uk\nSam, not-an-email\nJo again, JO@example.gov.uk"},
    )
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "Line 2: “not-an-email” is not an email address" in page
    assert "Line 3: jo@example.gov.uk is listed twice" in page
    assert not Ballot.objects.exists()


def test_csv_upload_with_a_header_row(open_round, login, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_file = SimpleUploadedFile(
        "people.csv", "\ufeffName,Email\nCllr Ŵyn Jones,wyn@example.gov.uk\n".encode()
    )
    resp = login(admin).post(round_url(open_round), {"people": "", "file": csv_file})
    assert resp.status_code == 302
    assert Ballot.objects.get().name == "Cllr Ŵyn Jones"


def test_who_may_do_what(open_round, login, editor, viewer, outsider, smtp):
    """Editors run feedback rounds as admins do (democratic services usually do);
    viewers only read; other councils see nothing."""
    client = login(viewer)
    assert client.get(round_url(open_round)).status_code == 200
    assert client.post(round_url(open_round), {"people": PEOPLE}).status_code == 403
    assert client.post(round_url(open_round, "send/"), {"what": "invitations"}).status_code == 403
    assert client.post(round_url(open_round, "close/")).status_code == 403
    assert open_round.access_code not in client.get(round_url(open_round)).content.decode()
    assert login(outsider).get(round_url(open_round)).status_code == 404
    assert login(outsider).get(round_url(open_round, "results/")).status_code == 404
    assert not Ballot.objects.exists() and not smtp.messages
    open_round.refresh_from_db()
    assert open_round.closed_at is None
    runs_it = login(editor)
    assert open_round.access_code in runs_it.get(round_url(open_round)).content.decode()
    invite_and_send(runs_it, open_round)
    assert sorted(m["To"] for m in smtp.messages) == ["jo@example.gov.uk", "sam@example.gov.uk"]


def test_closing_early_asks_first_and_the_round_shows_when_it_closed(
    open_round, login, editor
):
    client = login(editor)
    ask = client.get(round_url(open_round, "close/")).content.decode()
    assert "Close the round now?" in ask and "it cannot be opened again" in ask
    open_round.refresh_from_db()
    assert open_round.closed_at is None  # asking changes nothing
    assert client.post(round_url(open_round, "close/")).status_code == 302
    open_round.refresh_from_db()
    assert open_round.closed_at is not None and open_round.sealed_at is not None
    page = client.get(round_url(open_round)).content.decode()
    closed_on = long_date(timezone.localdate(open_round.closed_at))
    assert f"Closed early on {closed_on}" in page


def test_round_dates_must_make_sense(scored, login, admin):
    resp = login(admin).post(
        f"/councils/example/assessments/{scored.pk}/feedback/new/",
        {
            "opens_on_day": "10",
            "opens_on_month": "6",
            "opens_on_year": "2025",
            "closes_on_day": "1",
            "closes_on_month": "6",
            "closes_on_year": "2025",
        },
    )
    assert resp.status_code == 400
    assert "The closing date must be on or after the opening date" in resp.content.decode()
    assert not Round.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_double_submission_counts_once(open_round):
    import threading

    from django.db import connection

    token = services.shared_ticket(open_round.public_id, open_round.access_code)
    answers = {"statements": {f"{p}.{s}": 1 for p in range(1, 6) for s in range(1, 6)}}
    services.save_draft(token, answers)
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait(timeout=10)
            services.submit(token, answers)
            outcomes.append("sent")
        except services.AlreadyAnswered:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["refused", "sent"]
    assert SurveyResponse.objects.count() == 1


def test_not_yet_open(scored, admin):
    future = services.open_round(
        assessment=scored,
        user=admin,
        opens_on=datetime.date.today() + datetime.timedelta(days=3),
        closes_on=datetime.date.today() + datetime.timedelta(days=10),
        introduction="",
        shared_link=True,
    )
    resp = Client().post(f"/survey/shared/{future.public_id}/", {"code": future.access_code})
    assert resp.status_code == 410 and "This survey opens on" in resp.content.decode()


def test_mail_server_down_is_shown_for_each_invitation_and_nothing_is_lost(
    open_round, login, admin, settings
):
    """The request only queues the emails: with the mail server down the officer's page
    answers at once and shows each invitation waiting to be tried again, with the reason
    (tests/background/ shows the queue delivering them once the server is back)."""
    from ..conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listening
    client = login(admin)
    invite_and_send(client, open_round)  # the send is answered with a redirect, not an error
    page = client.get(round_url(open_round)).content.decode()
    assert page.count("Trying again: The mail server could not be reached") == 2
    assert Ballot.objects.filter(sent_at__isnull=False).count() == 2
    assert set(
        Ballot.objects.values_list("invitation__status", "invitation__attempts")
    ) == {("queued", 1)}


def test_a_production_server_without_a_mail_server_says_so(open_round, settings):
    from selfassess.feedback import services as feedback

    settings.EMAIL_BACKEND = "selfassess.core.mail.NoMailServerBackend"
    feedback.add_invitations(round_=open_round, people=[feedback.Invitee("A", "a@example.org")])
    feedback.send_invitations(round_=open_round)
    ballot = Ballot.objects.select_related("invitation").get()
    assert ballot.invitation.status == "queued"
    assert "No email server is configured: set EMAIL_HOST" in ballot.invitation.last_error


def test_a_page_opened_before_the_round_closed_saves_nothing_after(open_round, admin):
    """The survey reads the ballot once per request and writes conditionally: a round
    closed (and sealed) between reading and saving refuses the save, and no draft or
    response lands in it."""
    token = services.shared_ticket(open_round.public_id, open_round.access_code)
    answers = {"statements": {f"{p}.{s}": 1 for p in range(1, 6) for s in range(1, 6)}}
    opened = services.open_ballot(token)
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    with pytest.raises(services.RoundNotOpen):
        services.save_draft(token, answers, opened=opened)
    with pytest.raises(services.RoundNotOpen):
        services.submit(token, answers, opened=opened)
    ballot = Ballot.objects.get(token_hash=tokens.token_hash(token))
    assert bytes(ballot.draft) == b"" and not ballot.answered
    assert not SurveyResponse.objects.exists()


def test_a_page_opened_before_a_new_link_was_sent_saves_nothing(open_round, login, admin, smtp):
    """A ballot made before links were kept gets a new link with its reminder (and the
    email says the old one stopped working): a save through the old one, read just
    before, changes nothing (the write is conditional on the token's hash)."""
    invite_and_send(login(admin), open_round)
    old = smtp.link(smtp.to("sam@example.gov.uk")[0]).split("/")[2]
    Ballot.objects.filter(email="sam@example.gov.uk").update(link=b"")  # as before links were kept
    opened = services.open_ballot(old)
    services.send_reminders(round_=open_round)
    with pytest.raises(services.LinkNotValid):
        services.save_draft(old, {"statements": {"1.1": 2}}, opened=opened)
    with pytest.raises(services.LinkNotValid):
        services.submit(old, {"statements": {"1.1": 2}}, opened=opened)
    assert not SurveyResponse.objects.exists()
    reminder = smtp.to("sam@example.gov.uk")[-1]
    new = smtp.link(reminder).split("/")[2]
    assert new != old and services.open_ballot(new).draft == {}
    body = " ".join(smtp.body(reminder).split())
    assert (
        "the one we sent you before no longer works, and answers saved with it but not sent "
        "could not be kept" in body
    )
    assert "your answers so far are kept" not in body  # what a kept link's reminder says
    # The old link's page says it does not work and where to look; it promises nothing.
    refused = Client().get(f"/survey/{old}/")
    page = refused.content.decode()
    assert refused.status_code in (404, 410) and "use the link in the newest one" in page
    assert "kept" not in page.split("<main", 1)[1]


def test_what_can_change_is_read_afresh_on_every_page(open_round, admin):
    """Only the toolkit's structure is kept per process (feedback/questions.py): the
    council's name, the ballot's state and the round's closing show at once."""
    token = services.shared_ticket(open_round.public_id, open_round.access_code)
    councillor = Client()
    assert "Example District Council" in councillor.get(f"/survey/{token}/").content.decode()
    council = open_round.assessment.council
    council.name = "Renamed Borough Council"
    council.save()
    page = councillor.get(f"/survey/{token}/page/1/").content.decode()
    assert "Renamed Borough Council" in page and "Example District Council" not in page
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    assert councillor.get(f"/survey/{token}/page/1/").status_code == 410


def test_a_page_shows_the_answers_saved_and_those_just_posted(open_round):
    """The radio buttons are rendered once per process for each answer checked
    (feedback/questions.py): each page shows its own councillor's answers."""
    import re

    def checked(html):
        return dict(re.findall(r'name="(s[\d.]+)" type="radio" value="(\w+)" checked', html))

    one = services.shared_ticket(open_round.public_id, open_round.access_code)
    two = services.shared_ticket(open_round.public_id, open_round.access_code)
    client = Client()
    assert checked(client.get(f"/survey/{one}/page/1/").content.decode()) == {}
    answers = {"s1.1": "0", "s1.2": "2", "s1.3": "dk", "s1.4": "1", "s1.5": "2"}
    assert client.post(f"/survey/{one}/page/1/", answers).status_code == 302
    assert checked(client.get(f"/survey/{one}/page/1/").content.decode()) == answers
    assert checked(client.get(f"/survey/{two}/page/1/").content.decode()) == {}
    wrong = client.post(f"/survey/{two}/page/1/", {"s1.1": "2", "s1.2": "7"})
    assert wrong.status_code == 400
    assert checked(wrong.content.decode()) == {"s1.1": "2"}
    assert "Select an answer for statement 1.2" in wrong.content.decode()


def test_shared_link_hands_out_at_most_its_tickets(open_round, settings):
    settings.SURVEY_SHARED_MAX = 2
    url = f"/survey/shared/{open_round.public_id}/"
    for _ in range(2):
        assert Client().post(url, {"code": open_round.access_code}).status_code == 302
    third = Client().post(url, {"code": open_round.access_code})
    assert third.status_code == 403
    assert "used as many times as it allows" in third.content.decode()
    assert Ballot.objects.filter(round=open_round, kind=Ballot.Kind.SHARED).count() == 2
    # Raising the ceiling lets the next one in.
    settings.SURVEY_SHARED_MAX = 3
    assert Client().post(url, {"code": open_round.access_code}).status_code == 302
