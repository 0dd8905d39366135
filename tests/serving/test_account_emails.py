"""Account emails are the product's own (templates/account/email/), their links start with
SITE_URL whatever Host the request named, and a reset for an address with no account
sends nothing while the page says the same either way."""

import re
from pathlib import Path
from urllib.parse import urlparse

import allauth
from allauth.account import app_settings as account_settings
from django.conf import settings
from django.template.loader import get_template
from django.test import Client

from selfassess.accounts.adapter import AccountAdapter

SITE_URL = "https://self-assess.example.gov.uk"
OURS = settings.BASE_DIR / "templates"


def ask_for_reset(email: str) -> tuple:
    """The answer to the request, and the page it leads to. The request names another
    host (one the site also answers to), which no link may use."""
    client = Client(HTTP_HOST="localhost")
    resp = client.post("/accounts/password/reset/", {"email": email})
    return resp, client.get(resp["Location"]).content.decode()


def test_a_reset_email_is_ours_with_a_link_from_site_url(council, editor, settings, mailoutbox):
    settings.SITE_URL = SITE_URL
    resp, page = ask_for_reset(editor.email)
    assert resp.status_code == 302 and "Check your email" in page
    [mail] = mailoutbox
    assert mail.to == [editor.email]
    assert mail.subject == "Set a new password for Self-Assess"
    body = mail.body
    assert body.startswith("Hello,\n\nSomeone asked to set a new password for the Self-Assess")
    assert "within 3 days" in body and "The link works once." in body
    [link] = re.findall(r"^https?://\S+$", body, re.MULTILINE)
    assert link.startswith(SITE_URL + "/accounts/password/reset/key/")
    assert "localhost" not in body + mail.subject and "example.com" not in body

    # The link works, once.
    client = Client()
    resp = client.get(urlparse(link).path)
    form_url = resp["Location"]
    new_password = "a brand new long password"
    resp = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert resp.status_code == 302
    assert Client().login(email=editor.email, password=new_password)
    again = Client().get(urlparse(link).path, follow=True).content.decode()
    assert "This link no longer works" in again


def test_no_mail_for_an_address_without_an_account(council, editor, settings, mailoutbox):
    known, known_page = ask_for_reset(editor.email)
    mailoutbox.clear()
    unknown, unknown_page = ask_for_reset("nobody-here@example.org")
    assert mailoutbox == []
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert unknown_page == known_page


def test_every_account_email_allauth_could_send_is_ours_or_switched_off():
    """A new allauth version's new email, or a setting that switches one on, fails this
    until the product has its own words for it."""
    switched_off = {
        "account/email/account_already_exists": not AccountAdapter().is_open_for_signup(None),
        "account/email/email_confirm": account_settings.EMAIL_VERIFICATION == "none",
        "account/email/email_confirmation": account_settings.EMAIL_VERIFICATION == "none",
        "account/email/email_confirmation_signup": not AccountAdapter().is_open_for_signup(None),
        "account/email/login_code": not account_settings.LOGIN_BY_CODE_ENABLED,
        "account/email/password_reset_code": not account_settings.PASSWORD_RESET_BY_CODE_ENABLED,
        "account/email/unknown_account": not account_settings.EMAIL_UNKNOWN_ACCOUNTS,
    }
    notifications = {
        "account/email/email_changed",
        "account/email/email_deleted",
        "account/email/password_changed",
        "account/email/password_reset",
        "account/email/password_set",
        "mfa/email/recovery_codes_generated",
        "mfa/email/totp_activated",
        "mfa/email/totp_deactivated",
        "mfa/email/webauthn_added",
        "mfa/email/webauthn_removed",
    }
    switched_off |= dict.fromkeys(notifications, not account_settings.EMAIL_NOTIFICATIONS)
    ours = {"account/email/password_reset_key"}

    stock = Path(allauth.__file__).parent / "templates"
    allauth_mails = {
        str(path.relative_to(stock)).removesuffix("_subject.txt")
        for path in stock.glob("*/email/*_subject.txt")
        if not str(path.relative_to(stock)).startswith("socialaccount/")
    }
    assert allauth_mails == ours | set(switched_off)
    assert all(switched_off.values()), [k for k, off in switched_off.items() if not off]
    for prefix in ours:
        for part in ("subject", "message"):
            origin = Path(get_template(f"{prefix}_{part}.txt").origin.name)
            assert origin.is_relative_to(OURS), origin
