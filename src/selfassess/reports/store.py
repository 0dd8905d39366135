"""A small content-addressed file store for rendered reports, shared by the workers of
one server. Not Django's database cache: a report is 0.1-1 MB and holds councillors'
comments, and neither belongs in the database, its backups or its write lock.

A file is named after the SHA-256 of what it was made from, so one name never holds two
contents. Writes go to a temporary file renamed into place, so a reader sees a whole file
or none. Each write then prunes the store: files older than `max_age_seconds` go, then
the least recently used until the store is under `max_bytes`. A file larger than a
quarter of `max_bytes` is not stored."""

import os
import re
import tempfile
import time
from pathlib import Path

_KEY = re.compile(r"[0-9a-f]{64}")


class FileStore:
    def __init__(self, directory: Path, *, max_bytes: int, max_age_seconds: int, suffix: str):
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.max_age_seconds = max_age_seconds
        self.suffix = suffix

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError("a store key is a SHA-256 in lower-case hex")
        return self.directory / f"{key}{self.suffix}"

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            if time.time() - path.stat().st_mtime > self.max_age_seconds:
                return None
            body = path.read_bytes()
            os.utime(path)  # recently used: pruned last
        except FileNotFoundError:  # never stored, or pruned by another worker just now
            return None
        return body

    def put(self, key: str, body: bytes) -> None:
        path = self._path(key)
        if self.max_bytes <= 0 or len(body) > self.max_bytes // 4:
            return
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.prune()

    def clear(self) -> int:
        """Remove every stored file (retention, after councillors' comments are deleted);
        how many were removed."""
        removed = 0
        for entry in self._entries():
            if entry.name.endswith(self.suffix):
                Path(entry.path).unlink(missing_ok=True)
                removed += 1
        return removed

    def _entries(self) -> list[os.DirEntry]:
        try:
            return list(os.scandir(self.directory))
        except FileNotFoundError:  # nothing stored yet
            return []

    def prune(self) -> None:
        now = time.time()
        entries = []
        for entry in self._entries():
            try:
                stat = entry.stat()
            except FileNotFoundError:
                continue
            stored = entry.name.endswith(self.suffix) and _KEY.fullmatch(
                entry.name[: -len(self.suffix)]
            )
            # Temporary files of a write that died are removed after an hour.
            too_old = now - stat.st_mtime > (self.max_age_seconds if stored else 3600)
            if entry.name.endswith(".tmp") or stored:
                if too_old:
                    Path(entry.path).unlink(missing_ok=True)
                elif stored:
                    entries.append((stat.st_mtime, stat.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        for _, size, name in sorted(entries):  # least recently used first
            if total <= self.max_bytes:
                break
            Path(name).unlink(missing_ok=True)
            total -= size
