"""Two editors saving the same statement at the same moment, on real connections:
exactly one save wins and the other is told, so no update is silently lost."""

import threading

import pytest
from django.db import connection

from selfassess.assessments import services
from selfassess.assessments.models import Change, Response


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_statement(assessment, editor, second_editor):
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(user, evidence):
        try:
            barrier.wait(timeout=10)
            services.save_responses(
                assessment=assessment,
                user=user,
                entries=[
                    services.ResponseInput(
                        ref="3.1", score=2, evidence=evidence, links=[], seen_version=0
                    )
                ],
            )
            outcomes[evidence] = "saved"
        except services.EditConflict:
            outcomes[evidence] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(editor, "first editor's words")),
        threading.Thread(target=save, args=(second_editor, "second editor's words")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
    winner = next(e for e, o in outcomes.items() if o == "saved")
    saved = Response.objects.get(assessment=assessment, statement__ref="3.1")
    assert (saved.evidence, saved.version) == (winner, 1)
    assert list(
        Change.objects.filter(response=saved, field="evidence").values_list("after", flat=True)
    ) == [winner]
