"""People who sign in.

The `User` model: email is the identity (no usernames). Sign-in, sign-out, password
reset and change, and TOTP two-factor authentication (allauth.mfa, with recovery codes)
are django-allauth with our GOV.UK templates in `templates/account/` and
`templates/mfa/`; open sign-up is closed (`adapter.py`). Reloading the authenticator set-up
page keeps its key (`forms.SteadyActivateTOTPForm`), and the recovery codes page goes on
to where the person was going (`views.continue_after_two_factor`). Sign-in attempts are limited by
ACCOUNT_RATE_LIMITS in the shared cache. `User.session_generation` is part of every
session's hash, so "Sign out everywhere" (one UPDATE) ends every session at its next
request. Which people must use two-factor authentication is a council rule
(`councils.middleware`); the account page and the personal-data download show several
apps' data and live in `workspace`.
"""
