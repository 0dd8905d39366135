"""The personal-data download: everything the product holds about one person, from
every app that holds any."""

from allauth.mfa.models import Authenticator
from django.utils import timezone

from selfassess.assessments.models import Change
from selfassess.audit.models import AuditEvent
from selfassess.background.models import Email
from selfassess.councils.models import Invitation, Membership
from selfassess.feedback.models import Ballot
from selfassess.plans.models import Action as PlanAction
from selfassess.plans.models import DismissedSuggestion, PlanChange, ProgressUpdate


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def document(user) -> dict:
    """Everything the product holds that is about this person or was written by them.
    Councillors' survey answers are not here: nothing links an answer to anyone."""
    email = user.email
    changes = Change.objects.filter(user=user).select_related(
        "assessment__council", "response__statement"
    )
    return {
        "format": "selfassess/personal-data@1",
        "produced_at": _iso(timezone.now()),
        "account": {
            "email": email,
            "full_name": user.full_name,
            "joined": _iso(user.date_joined),
            "last_sign_in": _iso(user.last_login),
            "reminders_and_digests_by_email": user.reminders_by_email,
            "two_factor_authentication": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists(),
        },
        "memberships": [
            {"council": m.council.name, "role": m.get_role_display(), "since": _iso(m.created_at)}
            for m in Membership.objects.filter(user=user).select_related("council")
        ],
        "invitations": [
            {
                "council": i.council.name,
                "role": i.get_role_display(),
                "sent": _iso(i.created_at),
                "accepted": _iso(i.accepted_at),
                "withdrawn": _iso(i.withdrawn_at),
            }
            for i in Invitation.objects.filter(email=email).select_related("council")
        ],
        "audit_log": [
            {
                "at": _iso(e.at),
                "what": e.get_action_display(),
                "summary": e.summary,
                "ip_address": e.ip_address,
            }
            for e in AuditEvent.objects.filter(actor=user)
            | AuditEvent.objects.filter(actor__isnull=True, actor_email=email)
        ],
        "assessment_changes": [
            {
                "at": _iso(c.at),
                "council": c.assessment.council.name,
                "assessment": c.assessment.title,
                "statement": c.response.statement.ref if c.response_id else None,
                "what": c.get_field_display(),
                "before": c.before,
                "after": c.after,
                "note": c.note,
            }
            for c in changes
        ],
        "actions_added": [
            {"at": _iso(a.created_at), "assessment": a.assessment.title, "title": a.title}
            for a in PlanAction.objects.filter(created_by=user).select_related("assessment")
        ],
        "actions_owned": [
            {"assessment": a.assessment.title, "title": a.title, "status": a.get_status_display()}
            for a in PlanAction.objects.filter(owner=user).select_related("assessment")
        ],
        "plan_changes": [
            {
                "at": _iso(c.at),
                "assessment": c.assessment.title,
                "what": c.get_field_display(),
                "before": c.before,
                "after": c.after,
                "note": c.note,
            }
            for c in PlanChange.objects.filter(user=user).select_related("assessment")
        ],
        "emails": [
            {
                "what": e.purpose,
                "subject": e.subject,
                "queued": _iso(e.created_at),
                "sent": _iso(e.sent_at),
                "status": e.get_status_display(),
            }
            for e in Email.objects.filter(to=email)
        ],
        "progress_updates": [
            {"on": _iso(u.on), "action": u.action.title, "text": u.text}
            for u in ProgressUpdate.objects.filter(user=user).select_related("action")
        ],
        "suggestions_dismissed": [
            {
                "at": _iso(d.at),
                "assessment": d.assessment.title,
                "statement": d.statement.ref,
                "suggestion": d.title,
                "reason": d.reason,
            }
            for d in DismissedSuggestion.objects.filter(user=user).select_related(
                "assessment", "statement"
            )
        ],
        "survey_invitations": [
            {
                "council": b.round.assessment.council.name,
                "round_opened": _iso(b.round.opens_on),
                "sent": _iso(b.sent_at),
                "reminded": _iso(b.reminded_at),
                "answered": b.answered,
            }
            for b in Ballot.objects.filter(email__iexact=email).select_related(
                "round__assessment__council"
            )
            if b.email.lower() == email  # iexact narrows; the exact address decides
        ],
        "survey_answers": (
            "Not included: councillors' answers are stored with nothing that links them "
            "to a person, so the product cannot tell which answers are yours."
        ),
    }
