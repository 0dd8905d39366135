"""Backups that can be taken while the site runs, and restoring them.

SQLite: SQLite's online backup API (`sqlite3.Connection.backup`). Taking a backup copies
every page in one step under a read transaction, so the copy is one consistent snapshot
while WAL lets the site keep writing. Restoring copies the backup into the live database
through the same API with the live file as the destination: the copy is one write
transaction, taken with the same write lock as every save (`BEGIN IMMEDIATE`), so saves
queue behind it and readers see either all of the old data or all of the new, never a
mix. Other processes' open connections stay valid and see the restored data.

PostgreSQL: `pg_dump --format=custom` (one snapshot) and `pg_restore --clean --if-exists
--no-owner --single-transaction` (all or nothing), connecting with the settings of the
Django database.

Backups hold everything the site holds, so they are written readable by their owner only,
under a temporary name that is renamed into place only once the copy is complete.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# Tables a backup of this site must have (besides the models' own, checked by the
# migrations that created them).
REQUIRED_TABLES = ("django_migrations",)


class BackupError(Exception):
    """Something the person running the command can act on; nothing was changed."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    size: int
    detail: str = ""


def engine_of(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups are not supported for the database engine {engine}")


def _magic(path: Path, n: int = 16) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(n)
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror}") from exc


# --- the file a backup is written to -------------------------------------------------


def prepare_target(path: Path, *, force: bool, live: Path | None = None) -> Path:
    """Checks FILE before anything is copied: it does not exist (or --force), it is not
    the live database, and its folder exists and is writable. Returns the temporary path
    the copy is written to first."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the name of the backup file to write")
    if live is not None and path.exists() and live.exists() and path.samefile(live):
        raise BackupError(f"{path} is the live database itself; choose another file")
    if path.exists() and not force:
        raise BackupError(f"{path} exists already; use --force to replace it")
    folder = path.parent
    if not folder.is_dir():
        raise BackupError(f"Cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupError(f"Cannot write {path}: the folder {folder} is not writable")
    return folder / f".{path.name}.partial-{os.getpid()}"


def _open_private(tmp: Path, path: Path) -> None:
    """Creates the temporary file empty and readable by its owner only."""
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise BackupError(f"Cannot write {path}: {exc.strerror}") from exc
    os.close(fd)


def _finish(tmp: Path, path: Path) -> int:
    """fsyncs the complete copy and renames it into place."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    with contextlib.suppress(OSError):  # the rename itself, durably
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return path.stat().st_size


def _discard(tmp: Path) -> None:
    for p in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


# --- SQLite ----------------------------------------------------------------------------


def sqlite_live_path(settings_dict: dict) -> Path:
    name = str(settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("The database is in memory; there is no file to back up or restore")
    return Path(name)


def _sqlite_timeout(settings_dict: dict) -> float:
    return float(settings_dict.get("OPTIONS", {}).get("timeout", 20))


def sqlite_backup(settings_dict: dict, path: Path, *, force: bool = False) -> Outcome:
    live = sqlite_live_path(settings_dict)
    if not live.exists():
        raise BackupError(f"There is no database at {live}; nothing to back up")
    path = Path(path)
    tmp = prepare_target(path, force=force, live=live)
    _open_private(tmp, path)
    try:
        source = sqlite3.connect(live, timeout=_sqlite_timeout(settings_dict))
        try:
            dest = sqlite3.connect(tmp)
            try:
                # pages=-1: every page in one step, under one read transaction, so the copy
                # is a single snapshot; WAL lets writers carry on meanwhile.
                source.backup(dest, pages=-1)
                # The copy inherits WAL mode; a backup should be one self-contained file.
                dest.execute("PRAGMA journal_mode=DELETE")
                (check,) = dest.execute("PRAGMA quick_check").fetchone()
                if check != "ok":
                    raise BackupError(f"The copy failed its integrity check: {check}")
            finally:
                dest.close()
        finally:
            source.close()
        size = _finish(tmp, path)
    except sqlite3.Error as exc:
        _discard(tmp)
        raise BackupError(f"The backup failed: {exc}") from exc
    except BaseException:
        _discard(tmp)
        raise
    return Outcome(path, size)


def sqlite_check(path: Path, live: Path | None = None) -> list[str]:
    """Refuses anything but an intact SQLite database of this site, other than the live
    database itself. Returns the tables."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file at {path}")
    if live is not None and live.exists() and path.samefile(live):
        raise BackupError(f"{path} is the live database itself. Nothing was changed")
    head = _magic(path)
    if head.startswith(PGDUMP_MAGIC):
        raise BackupError(
            f"{path} is a PostgreSQL backup (pg_dump); this site uses SQLite. Nothing was changed"
        )
    if head != SQLITE_MAGIC:
        raise BackupError(f"{path} is not a backup (not an SQLite database). Nothing was changed")
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        try:
            (check,) = conn.execute("PRAGMA integrity_check").fetchone()
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            migrations = (
                conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
                if "django_migrations" in tables
                else 0
            )
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path} is not a usable backup ({exc}). Nothing was changed") from exc
    if check != "ok":
        raise BackupError(f"{path} is damaged ({check}). Nothing was changed")
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing or not migrations:
        raise BackupError(
            f"{path} is an SQLite database but not a backup of this site "
            f"(it has no {missing[0] if missing else 'migrations'}). Nothing was changed"
        )
    return tables


def sqlite_restore(settings_dict: dict, path: Path) -> Outcome:
    live = sqlite_live_path(settings_dict)
    path = Path(path)
    sqlite_check(path, live)
    try:
        source = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(live, timeout=_sqlite_timeout(settings_dict))
            try:
                # One step: the whole copy is one write transaction on the live database,
                # waiting for (and then holding) the same lock every save takes.
                source.backup(dest, pages=-1)
                (check,) = dest.execute("PRAGMA quick_check").fetchone()
            finally:
                dest.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"The restore failed: {exc}") from exc
    if check != "ok":
        raise BackupError(f"The restored database failed its integrity check: {check}")
    return Outcome(path, path.stat().st_size)


# --- PostgreSQL ------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found on the PATH; install PostgreSQL's client tools "
            "(on Debian: apt-get install postgresql-client), matching the server's version"
        )
    return found


def _pg_env(settings_dict: dict) -> dict[str, str]:
    """Connection settings as libpq environment variables (the password in PGPASSWORD,
    never on a command line other users can read)."""
    from django.db.backends.postgresql.client import DatabaseClient

    _, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = dict(os.environ) | (extra or {})
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603 - pg tools, fixed arguments
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip()
        raise BackupError(f"{what} failed (exit {result.returncode}): {message}")
    return result


def postgres_backup(settings_dict: dict, path: Path, *, force: bool = False) -> Outcome:
    pg_dump = _pg_tool("pg_dump")
    path = Path(path)
    tmp = prepare_target(path, force=force)
    _open_private(tmp, path)
    try:
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--file={tmp}",
                f"--dbname={settings_dict['NAME']}",
            ],
            _pg_env(settings_dict),
            "pg_dump",
        )
        size = _finish(tmp, path)
    except BaseException:
        _discard(tmp)
        raise
    return Outcome(path, size)


def postgres_check(path: Path) -> list[str]:
    """Refuses anything but a pg_dump custom-format archive of this site. Returns its
    table of contents."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file at {path}")
    head = _magic(path)
    if head == SQLITE_MAGIC:
        raise BackupError(
            f"{path} is an SQLite backup; this site uses PostgreSQL. Nothing was changed"
        )
    if not head.startswith(PGDUMP_MAGIC):
        raise BackupError(
            f"{path} is not a backup (not a pg_dump custom-format archive). Nothing was changed"
        )
    listing = subprocess.run(  # noqa: S603 - pg_restore --list FILE
        [_pg_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True
    )
    if listing.returncode != 0:
        raise BackupError(
            f"{path} is not a usable backup ({listing.stderr.strip()}). Nothing was changed"
        )
    toc = listing.stdout.splitlines()
    for table in REQUIRED_TABLES:
        if not any(" TABLE " in line and f" {table} " in f"{line} " for line in toc):
            raise BackupError(
                f"{path} is a PostgreSQL backup but not of this site (it has no {table}). "
                "Nothing was changed"
            )
    return toc


def postgres_restore(settings_dict: dict, path: Path) -> Outcome:
    path = Path(path)
    postgres_check(path)
    pg_restore = _pg_tool("pg_restore")
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            # All or nothing: an error part-way leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={settings_dict['NAME']}",
            str(path),
        ],
        _pg_env(settings_dict),
        "pg_restore",
    )
    return Outcome(path, path.stat().st_size)


# --- both ------------------------------------------------------------------------------


def backup(settings_dict: dict, path: Path, *, force: bool = False) -> Outcome:
    if engine_of(settings_dict) == "sqlite":
        return sqlite_backup(settings_dict, path, force=force)
    return postgres_backup(settings_dict, path, force=force)


def check(settings_dict: dict, path: Path) -> None:
    if engine_of(settings_dict) == "sqlite":
        sqlite_check(path, sqlite_live_path(settings_dict))
    else:
        postgres_check(path)


def restore(settings_dict: dict, path: Path) -> Outcome:
    if engine_of(settings_dict) == "sqlite":
        return sqlite_restore(settings_dict, path)
    return postgres_restore(settings_dict, path)
