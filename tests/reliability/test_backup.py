"""`manage.py backup FILE` and `manage.py restore FILE`: a restored backup holds exactly
what the database held when it was taken, row for row in every table; a backup taken
while someone saves is one consistent moment; a file that is not a backup is refused
and nothing changes."""

import shutil
import sqlite3
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from selfassess.assessments.models import Response
from selfassess.councils.models import Council, Membership
from selfassess.plans.models import Action, PlanChange, ProgressUpdate

from .conftest import action, every_row

pytestmark = pytest.mark.django_db(transaction=True)


def backup(path, **kw):
    call_command("backup", str(path), verbosity=0, **kw)


def restore(path):
    call_command("restore", str(path), interactive=False, verbosity=0)


def test_restore_brings_back_every_row_of_every_table(populated, editor, viewer, tmp_path):
    snapshot = every_row()
    assert snapshot["plans_action"] and snapshot["assessments_change"]
    assert sum(map(len, snapshot.values())) > 200
    backup(tmp_path / "selfassess.backup")

    # Everyday changes and deletions after the backup.
    Response.objects.filter(assessment=populated).update(score=0, evidence="Overwritten")
    Action.objects.filter(title="Train group leaders").delete()
    ProgressUpdate.objects.all().delete()
    Membership.objects.filter(user=viewer).delete()
    viewer.delete()
    action(populated, editor, "An action added after the backup")
    Council.objects.create(name="New Council", slug="new", type="district")
    assert every_row() != snapshot

    restore(tmp_path / "selfassess.backup")
    assert every_row() == snapshot

    # The site carries on: new rows get fresh ids (sequences came back too).
    added = action(populated, editor, "An action after the restore")
    assert added.pk > max(row[0] for row in snapshot["plans_action"])
    assert Council.objects.create(name="Another", slug="another", type="district").pk


def test_backup_refuses_to_overwrite_or_write_where_it_cannot(populated, tmp_path):
    target = tmp_path / "selfassess.backup"
    target.write_text("an earlier backup")
    with pytest.raises(CommandError, match="exists already; use --force"):
        backup(target)
    assert target.read_text() == "an earlier backup"
    backup(target, force=True)
    assert target.stat().st_mode & 0o077 == 0  # readable by its owner only
    with pytest.raises(CommandError, match="folder .* does not exist"):
        backup(tmp_path / "missing" / "selfassess.backup")
    assert not list(tmp_path.glob(".*partial*"))


def test_a_backup_taken_during_saves_is_one_consistent_moment(populated, editor, tmp_path):
    """A writer keeps adding actions (the action, its statements and its history row
    in one transaction) while the backup is taken; the restored copy has every action
    complete, none half-written, and no history without its action."""
    stop = threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def writer():
        try:
            while not stop.is_set():
                a = action(populated, editor, f"Busy save {len(written)}", refs=("1.1", "1.2"))
                written.append(a.pk)
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while len(written) < 10 and time.monotonic() < deadline and not failures:
            time.sleep(0.01)
        before = len(written)
        backup(tmp_path / "busy.backup")
        after = len(written)
        while len(written) < after + 5 and time.monotonic() < deadline and not failures:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    assert not failures
    assert len(written) > after

    restore(tmp_path / "busy.backup")
    busy = Action.objects.filter(title__startswith="Busy save")
    assert before <= busy.count() <= after + 1
    # A prefix of what was written, each action whole.
    assert sorted(busy.values_list("pk", flat=True)) == written[: busy.count()]
    for a in busy.prefetch_related("statements"):
        assert sorted(s.ref for s in a.statements.all()) == ["1.1", "1.2"]
    created = PlanChange.objects.filter(field=PlanChange.Field.ACTION_CREATED)
    assert created.filter(action__title__startswith="Busy save").count() == busy.count()
    assert not created.filter(action__isnull=True).exists()


def not_a_backup(tmp_path) -> list:
    text = tmp_path / "notes.txt"
    text.write_text("Minutes of the standards committee\n")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    empty = tmp_path / "empty.backup"
    empty.touch()
    return [
        (text, "is not a backup"),
        (other, "not a backup of this site|this site uses PostgreSQL"),
        (empty, "is not a backup"),
        (tmp_path / "missing.backup", "There is no file"),
    ]


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(populated, tmp_path):
    good = tmp_path / "good.backup"
    backup(good)
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    snapshot = every_row()
    for path, message in [*not_a_backup(tmp_path), (damaged, "usable|damaged|failed")]:
        with pytest.raises(CommandError, match=message):
            restore(path)
        assert every_row() == snapshot, path


def test_restore_asks_first(populated, editor, tmp_path, monkeypatch):
    backup(tmp_path / "selfassess.backup")
    action(populated, editor, "Kept because the restore was cancelled")
    snapshot = every_row()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    call_command("restore", str(tmp_path / "selfassess.backup"), verbosity=0)
    assert every_row() == snapshot
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("restore", str(tmp_path / "selfassess.backup"), verbosity=0)
    assert not Action.objects.filter(title__startswith="Kept").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is only used for PostgreSQL")
def test_backup_says_when_pg_dump_is_missing(populated, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="pg_dump was not found"):
        backup(tmp_path / "selfassess.backup")
