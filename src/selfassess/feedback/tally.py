"""Counting a round's answers (see tally())."""

from collections import Counter

from .models import Round, SurveyResponse


def tally(round_: Round) -> dict:
    """Count a round's answers: per statement per answer ("dk" for don't know), the
    comments per principle in alphabetical order (no order that hints at who), and the
    experience answers. Stored on the round when it is sealed, so results are read from
    a few kilobytes instead of every response."""
    statements: dict[str, Counter] = {}
    comments: dict[str, list[str]] = {}
    experience: dict[str, dict] = {}
    responses = 0
    for answers in SurveyResponse.objects.filter(round=round_).values_list("answers", flat=True):
        responses += 1
        for ref, value in answers.get("statements", {}).items():
            statements.setdefault(ref, Counter())["dk" if value is None else str(value)] += 1
        for number, text in answers.get("comments", {}).items():
            if text:
                comments.setdefault(number, []).append(text)
        for qid, chosen in answers.get("experience", {}).items():
            if chosen:
                seen = experience.setdefault(qid, {"answered": 0, "counts": Counter()})
                seen["answered"] += 1
                seen["counts"].update(chosen if isinstance(chosen, list) else [chosen])
    return {
        "responses": responses,
        "statements": {ref: dict(c) for ref, c in statements.items()},
        "comments": {n: sorted(texts, key=str.lower) for n, texts in comments.items()},
        "experience": {
            q: {"answered": e["answered"], "counts": dict(e["counts"])}
            for q, e in experience.items()
        },
    }
