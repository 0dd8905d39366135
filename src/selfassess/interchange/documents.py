"""A council's completed toolkit document, read against the toolkit in the database, and
the signed preview that carries the reading from the upload page to the confirm.

The readers (readers/) are plain Python; this module gives them the toolkit version
(`toolkit_of`) and the site's limits (`site_limits`), and turns what they read into the
values an assessment starts with (`values_of`). Nothing here writes: services.py does.

The preview token is the reading less the evidence (what the officer may change is in
the form itself): each statement's text as found, its score read, the fingerprint of
what was read, whether it needs checking and why, the principles' typed totals, the
file's name and SHA-256, and the council, person and toolkit version it was read for.
It is signed with the site's SECRET_KEY (django.core.signing, with a timestamp), so it
cannot be altered or moved to another council or person, and it expires.
"""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
import uuid
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core import signing

from selfassess.assessments.services import Values, values_digest
from selfassess.frameworks.models import Framework
from selfassess.frameworks.selectors import framework_parts

from .readers import CHECK, Limits, Reading, Toolkit, read_document

PREVIEW_SALT = "selfassess.interchange.preview"
# How long after the upload a preview can still be confirmed.
PREVIEW_MAX_AGE = datetime.timedelta(hours=6)
# What a preview carries of the rows a council added to the toolkit's tables.
EXTRA_ROWS_SHOWN = 20
SHOWN_CHARS = 1000
NAME_CHARS = 120


def toolkit_of(framework: Framework) -> Toolkit:
    """The toolkit version as the readers take it: scale (with the levels' long names),
    principles and statements, in order."""
    parts = framework_parts(framework)
    numbers = {p.pk: p.number for p in parts.principles}
    return Toolkit(
        title=framework.title,
        levels=[(level.value, level.label) for level in parts.levels],
        principles=[(p.number, p.title) for p in parts.principles],
        statements=[(s.ref, numbers[s.principle_id], s.text) for s in parts.statements.values()],
        level_names={level.value: [level.long_label] for level in parts.levels},
    )


def site_limits() -> Limits:
    """The readers' limits, from the settings (README.md, "Settings")."""
    return Limits(
        max_bytes=settings.IMPORT_MAX_BYTES,
        max_uncompressed=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
        max_evidence_chars=settings.EVIDENCE_MAX_LENGTH,
        max_links=settings.EVIDENCE_MAX_LINKS,
    )


@dataclass(frozen=True)
class Source:
    """The file an assessment was imported from: its name (for people) and SHA-256."""

    name: str
    sha256: str

    @classmethod
    def of(cls, data: bytes, name: str) -> Source:
        return cls(name=clean_name(name), sha256=hashlib.sha256(data).hexdigest())

    def note(self, corrected: int = 0, how: str = "") -> str:
        """The history entry's note: which file, and what the officer changed."""
        text = f"Imported from “{self.name}” (SHA-256 {self.sha256})"
        if how:
            text += f" {how}"
        if corrected:
            text += (
                f"; {corrected} statement{'s' if corrected != 1 else ''} changed from what was read"
            )
        return text


def clean_name(name: str) -> str:
    """A file name fit to show and record: no folders, no control characters, not too
    long."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if len(name) > NAME_CHARS:
        name = name[: NAME_CHARS - 1] + "…"
    return name or "upload"


def read_file(data: bytes, name: str, framework: Framework) -> Reading:
    """Read a document against this toolkit version; ReadError (a core.validation
    Problems) when it cannot be read at all."""
    return read_document(data, name, toolkit_of(framework), site_limits())


def values_of(reading: Reading) -> dict[str, Values]:
    """What the assessment starts with: each statement's score, evidence and links as
    read (a statement with nothing read is left out, so starts unscored)."""
    return {
        row.ref: Values(row.score, row.evidence, tuple(row.links))
        for row in reading.rows
        if row.score is not None or row.evidence or row.links
    }


@dataclass(frozen=True)
class PreviewRow:
    ref: str
    found: str
    score: int | None
    digest: str  # values_digest of the score, evidence and links read
    check: bool
    reasons: list[str]


@dataclass(frozen=True)
class PreviewPrinciple:
    number: int
    marks_total: int
    maximum: int
    typed_total: int | None
    note: str


@dataclass(frozen=True)
class Preview:
    """A reading, as the preview page shows it and the confirm checks it."""

    council: int
    user: int
    framework: int
    source: Source
    format: str
    rows: list[PreviewRow]
    principles: list[PreviewPrinciple]
    extra_rows: list[str] = field(default_factory=list)
    extra_more: int = 0
    problems: list[str] = field(default_factory=list)
    # One reading, one import: confirming it again finds the assessment it made
    # (services.import_toolkit, models.Import).
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def of(
        cls, reading: Reading, *, council: int, user: int, framework: int, source: Source
    ) -> Preview:
        return cls(
            council=council,
            user=user,
            framework=framework,
            source=source,
            format=reading.format,
            rows=[
                PreviewRow(
                    ref=row.ref,
                    found=_short(row.found_text),
                    score=row.score,
                    digest=values_digest(row.score, row.evidence, row.links),
                    check=row.status == CHECK,
                    reasons=list(row.reasons),
                )
                for row in reading.rows
            ],
            principles=[
                PreviewPrinciple(p.number, p.marks_total, p.maximum, p.typed_total, p.note)
                for p in reading.principles
            ],
            extra_rows=[_short(text, 300) for text in reading.extra_rows[:EXTRA_ROWS_SHOWN]],
            extra_more=max(0, len(reading.extra_rows) - EXTRA_ROWS_SHOWN),
            problems=list(reading.problems),
        )

    @property
    def needs_checking(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.check]

    @property
    def disagreements(self) -> list[PreviewPrinciple]:
        return [p for p in self.principles if p.note]

    def sign(self) -> str:
        return signing.dumps(asdict(self), salt=PREVIEW_SALT, compress=True)

    @classmethod
    def open(cls, token: str) -> Preview:
        """The preview a token carries; signing.BadSignature (or SignatureExpired, a
        kind of it) for one altered, made elsewhere or too old."""
        data = signing.loads(token, salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
        try:
            return cls(
                **(
                    data
                    | {
                        "source": Source(**data["source"]),
                        "rows": [PreviewRow(**row) for row in data["rows"]],
                        "principles": [PreviewPrinciple(**p) for p in data["principles"]],
                    }
                )
            )
        except (TypeError, KeyError) as exc:  # signed by an older release of this module
            raise signing.BadSignature("not a preview of this release") from exc


def _short(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
