"""Sign-ins, failed sign-ins and account changes, from Django's and allauth's signals."""

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .models import Action
from .services import record


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def signed_in(sender, request, user, **kwargs):
    record(Action.SIGNED_IN, "Signed in", actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    tried = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    record(
        Action.SIGN_IN_FAILED,
        "Sign-in failed: wrong email address or password",
        request=request,
        actor_email=tried,
    )


@receiver(password_changed, dispatch_uid="audit_password_changed")
@receiver(password_set, dispatch_uid="audit_password_set")
@receiver(password_reset, dispatch_uid="audit_password_reset")
def password_events(sender, request, user, **kwargs):
    record(Action.PASSWORD_CHANGED, "Password set or changed", actor=user, request=request)


ADDED = {
    "totp": "Turned on two-factor authentication (authenticator app)",
    "recovery_codes": "Made two-factor recovery codes",
}
REMOVED = {
    "totp": "Turned off two-factor authentication (authenticator app)",
    "recovery_codes": "Removed two-factor recovery codes",
}


@receiver(authenticator_added, dispatch_uid="audit_mfa_added")
def mfa_added(sender, request, user, authenticator, **kwargs):
    summary = ADDED.get(authenticator.type, f"Added {authenticator.get_type_display()}")
    record(Action.MFA_ADDED, summary, actor=user, request=request)


@receiver(authenticator_removed, dispatch_uid="audit_mfa_removed")
def mfa_removed(sender, request, user, authenticator, **kwargs):
    summary = REMOVED.get(authenticator.type, f"Removed {authenticator.get_type_display()}")
    record(Action.MFA_REMOVED, summary, actor=user, request=request)


@receiver(authentication_failed, dispatch_uid="audit_mfa_failed")
def mfa_failed(sender, request, user, **kwargs):
    record(
        Action.SIGN_IN_FAILED,
        "Sign-in failed: wrong two-factor authentication code",
        request=request,
        actor_email=user.email,
    )
