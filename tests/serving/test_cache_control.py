"""Nothing shown to a signed-in person is kept by a cache: `Cache-Control: private,
no-store` on every response to them (core.middleware.NoStoreWhenSignedIn)."""

from django.test import Client


def directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_every_response_to_a_signed_in_person_is_private_and_not_stored(assessment, editor, login):
    client = login(editor)
    base = f"/councils/example/assessments/{assessment.pk}/"
    for url in ("/", "/councils/example/", base, base + "principles/1/", "/account/"):
        resp = client.get(url, follow=False)
        assert {"private", "no-store"} <= directives(resp), url
    resp = client.get(base + "report/download/csv/")
    assert resp.status_code == 200 and {"private", "no-store"} <= directives(resp)
    # The response that signs someone out is not stored either.
    resp = client.post("/accounts/logout/")
    assert resp.status_code == 302 and {"private", "no-store"} <= directives(resp)


def test_public_pages_for_visitors_are_left_alone(db):
    for url in ("/", "/accessibility/", "/privacy/"):
        resp = Client().get(url)
        assert resp.status_code == 200 and "no-store" not in directives(resp), url


def test_the_response_that_signs_someone_in_is_not_stored(council, editor):
    resp = Client().post(
        "/accounts/login/", {"login": editor.email, "password": "a long test password"}
    )
    assert resp.status_code == 302 and {"private", "no-store"} <= directives(resp)
