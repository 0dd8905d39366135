"""Build the POST body of a principle page the way the browser would send it."""

from selfassess.assessments.forms import field_prefix
from selfassess.assessments.models import Response
from selfassess.assessments.services import values_digest


def principle_post(assessment, number: int, changes: dict[str, dict] | None = None) -> dict:
    """Current values of every statement of principle `number`, with `changes` applied.

    `changes` maps a ref to any of score/evidence/links/version/digest. The digest, like
    the version, describes the saved values the page was opened with.
    """
    changes = changes or {}
    data = {}
    for r in Response.objects.filter(
        assessment=assessment, statement__principle__number=number
    ).select_related("statement"):
        p = field_prefix(r.statement.ref)
        given = changes.get(r.statement.ref, {})
        score = given.get("score", r.score)
        data |= {
            f"{p}-score": "" if score is None else str(score),
            f"{p}-evidence": given.get("evidence", r.evidence),
            f"{p}-links": given.get("links", "\n".join(r.links)),
            f"{p}-version": str(given.get("version", r.version)),
            f"{p}-digest": given.get("digest", values_digest(r.score, r.evidence, r.links)),
        }
    return data


def url(assessment, tail: str = "") -> str:
    return f"/councils/{assessment.council.slug}/assessments/{assessment.pk}/{tail}"
