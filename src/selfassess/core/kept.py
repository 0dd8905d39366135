"""What a person typed into a form when their session had already ended: kept, not saved,
until they sign in again, then shown back to them on the same page to save on purpose.

Every form that keeps typing carries a signed field (`owner_field`): the account that
opened the page and the page to come back to. A save that arrives without a signed-in
session (`signed_in_keeping_typing`) puts the form's fields, without the CSRF token, in
the new anonymous session under that page's path, with the account's id and the time,
and sends the person to sign in with that page as where to go next. Django keeps an
anonymous session's data when someone signs in, so the page then finds it (`typed`):

- only for the same account (the signed id; signing in as anyone else drops it);
- only on the same page (the path, which names the council and the assessment);
- for at most KEEP_SECONDS, the idle time a session itself lasts;
- until that person saves the page again, or chooses to discard it.

Nothing is ever saved from it without the person pressing save on the page it shows.
"""

import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.html import format_html

KEPT = "kept_typing"
OWNER_FIELD = "typed_by"
DISCARD = "discard_typed"
SALT = "selfassess.core.kept"
# No field of what was typed is kept under these names.
NOT_KEPT = {"csrfmiddlewaretoken", OWNER_FIELD, DISCARD}
# One person rarely loses more than one page at once; older pages make way.
MOST_PAGES = 5


def keep_seconds() -> int:
    return settings.SESSION_COOKIE_AGE


def owner_token(user_id: int, page: str) -> str:
    return signing.dumps([user_id, page], salt=SALT)


def owner_field(request: HttpRequest, page: str | None = None) -> str:
    """The hidden field a form that keeps typing carries: who opened the page and where
    to come back to (the page being shown, unless the form is shown elsewhere)."""
    if not request.user.is_authenticated:
        return ""
    token = owner_token(request.user.pk, page or request.path)
    return format_html('<input type="hidden" name="{}" value="{}">', OWNER_FIELD, token)


def _owner(request: HttpRequest) -> tuple[int, str] | None:
    try:
        user_id, page = signing.loads(request.POST.get(OWNER_FIELD, ""), salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(page, str) or not page.startswith("/"):
        return None
    return user_id, page


def _entries(request: HttpRequest) -> dict:
    return request.session.get(KEPT) or {}


def keep(request: HttpRequest, *, user_id: int, page: str, data: QueryDict) -> None:
    entries = {
        path: entry
        for path, entry in _entries(request).items()
        if path != page and entry["at"] > time.time() - keep_seconds()
    }
    fields = {name: data.getlist(name) for name in data if name not in NOT_KEPT}
    entries[page] = {"user": user_id, "at": time.time(), "data": fields}
    newest = sorted(entries.items(), key=lambda item: item[1]["at"])[-MOST_PAGES:]
    request.session[KEPT] = dict(newest)


def typed(request: HttpRequest, page: str | None = None) -> QueryDict | None:
    """What this signed-in person typed on this page before their session ended and has
    not yet saved or discarded, as form data; None if nothing is kept for them here."""
    entry = _entries(request).get(page or request.path)
    if (
        entry is None
        or not request.user.is_authenticated
        or entry["user"] != request.user.pk
        or entry["at"] <= time.time() - keep_seconds()
    ):
        return None
    data = QueryDict(mutable=True)
    for name, values in entry["data"].items():
        data.setlist(name, values)
    return data


def forget(request: HttpRequest, page: str) -> None:
    entries = _entries(request)
    if page in entries:
        request.session[KEPT] = {p: e for p, e in entries.items() if p != page}


def keep_only_for(request: HttpRequest, user_id: int) -> None:
    """On signing in: drop anything another account typed in this browser."""
    entries = _entries(request)
    mine = {p: e for p, e in entries.items() if e["user"] == user_id}
    if mine != entries:
        request.session[KEPT] = mine


def signed_in_keeping_typing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """login_required for a page whose form keeps typing. A save sent after the session
    ended is kept (see above) and the person is asked to sign in; a save by the signed-in
    person replaces anything kept for that page; "discard" drops it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        owner = _owner(request) if request.method == "POST" else None
        if not request.user.is_authenticated:
            if owner is None:
                return redirect_to_login(request.get_full_path())
            user_id, page = owner
            keep(request, user_id=user_id, page=page, data=request.POST)
            messages.info(
                request,
                "You were signed out, so nothing was saved. What you typed is kept: "
                "sign in again to check it and save it.",
            )
            return redirect_to_login(page)
        if owner is not None and owner[0] == request.user.pk:
            forget(request, owner[1])
            if DISCARD in request.POST:
                messages.info(request, "What you typed before you were signed out is discarded.")
                return redirect(owner[1])
        return view(request, *args, **kwargs)

    return wrapper
