"""The import pages: upload a completed toolkit, check what was read, confirm.

Thin: authorise through councils.access (editors and admins), parse with a form, read
through documents.py, write through services.py. The upload's body is read only after
the person's role is checked, by CappedUploadHandler (uploads.py), so a file is held in
memory up to IMPORT_MAX_BYTES and never written to disk.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from selfassess.assessments.forms import field_prefix
from selfassess.assessments.services import values_digest
from selfassess.core.validation import Problems
from selfassess.councils.access import membership_for
from selfassess.councils.models import Membership, Role
from selfassess.frameworks.models import Framework, Principle, Statement
from selfassess.frameworks.selectors import current_framework, framework_parts

from . import services
from .documents import Preview, PreviewPrinciple, PreviewRow, Source, read_file
from .forms import DATE_PARTS, ConfirmForm, UploadForm, reading_fields, size_text
from .uploads import CappedUploadHandler

EXPIRED = (
    "This check of the file has expired or cannot be used. Nothing was imported. Upload "
    "the file again."
)
# A JSON file can have many problems; the page lists this many and counts the rest.
PROBLEMS_SHOWN = 10


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug, Role.EDITOR)
    if request.method == "GET":
        return _upload_page(request, membership, UploadForm())
    # Set before the body is read (CSRF is checked below, once it has been).
    handler = CappedUploadHandler(request, settings.IMPORT_MAX_BYTES)
    request.upload_handlers = [handler]
    return csrf_protect(_receive)(request, membership, handler)


def _receive(
    request: HttpRequest, membership: Membership, handler: CappedUploadHandler
) -> HttpResponse:
    post, files = request.POST, request.FILES
    form = UploadForm(post, files, too_large=bool(handler.too_large))
    framework = current_framework()
    form.is_valid()
    upload_file = form.cleaned_data.get("file")
    if framework is None:
        form.add_error(None, "No toolkit is loaded, so nothing can be imported yet")
    if upload_file is None or framework is None:
        return _upload_page(request, membership, form, status=400)
    # The file is read even when the title or date is wrong, so that every problem is
    # said at once and a good file need not be chosen again.
    data = upload_file.read()
    source = Source.of(data, upload_file.name or "")
    try:
        reading = read_file(data, source.name, framework)
        if reading.format == "json":
            if form.errors:
                return _upload_page(request, membership, form, status=400)
            return _import_json(request, membership, form, data, source)
    except Problems as exc:
        _add_problems(form, exc.problems)
        return _upload_page(request, membership, form, status=400)
    preview = Preview.of(
        reading,
        council=membership.council.pk,
        user=request.user.pk,
        framework=framework.pk,
        source=source,
    )
    fields = {
        "title": post.get("title", ""),
        "preview": preview.sign(),
        **{f"assessed_on_{part}": post.get(f"assessed_on_{part}", "") for part in DATE_PARTS},
        **reading_fields(reading),
    }
    parts = framework_parts(framework)
    kwargs = {"statements": list(parts.statements.values()), "levels": list(parts.levels)}
    if not form.errors:
        return _preview_page(
            request, membership, preview, ConfirmForm(initial=fields, **kwargs), framework
        )
    # A good file with a wrong title or date: the check page, with those errors on it.
    confirm = ConfirmForm(fields, **kwargs)
    confirm.is_valid()
    return _preview_page(request, membership, preview, confirm, framework, status=400)


def _import_json(
    request: HttpRequest, membership: Membership, form: UploadForm, data: bytes, source: Source
) -> HttpResponse:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Problems(
            ["This JSON file is not UTF-8 text. Export it from Self-Assess again."]
        ) from None
    try:
        result = services.import_json(
            text=text,
            source=source,
            council=membership.council,
            user=request.user,
            title=form.cleaned_data["title"],
            assessed_on=form.cleaned_data["assessed_on"],
        )
    except Problems as exc:
        raise Problems(
            [f"This Self-Assess file cannot be imported. In the file: {p}" for p in exc.problems]
        ) from exc
    assessment = result.assessment
    messages.success(
        request,
        f"You imported “{assessment.title}” from {source.name}, with its forward plan.",
    )
    return redirect(_task_list(assessment))


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug, Role.EDITOR)
    if request.method == "GET":
        return redirect("interchange:upload", slug=slug)
    preview, framework = _open(request, membership)
    if preview is None or framework is None:
        return _upload_page(request, membership, UploadForm(), problem=EXPIRED, status=400)
    parts = framework_parts(framework)
    form = ConfirmForm(
        request.POST, statements=list(parts.statements.values()), levels=list(parts.levels)
    )
    if not form.is_valid():
        return _preview_page(request, membership, preview, form, framework, status=400)
    try:
        assessment = services.import_toolkit(
            council=membership.council,
            user=request.user,
            framework=framework,
            title=form.cleaned_data["title"],
            assessed_on=form.cleaned_data["assessed_on"],
            values=form.values(),
            source=preview.source,
            changed=form.changed_from({row.ref: row.digest for row in preview.rows}),
            preview_id=preview.id,
        )
    except services.AlreadyImported as done:
        messages.info(
            request,
            f"{preview.source.name} was already imported from this check page, as "
            f"“{done.assessment.title}”: nothing was imported again. Here it is.",
        )
        return redirect(_task_list(done.assessment))
    messages.success(
        request,
        f"You imported “{assessment.title}” from {preview.source.name} as a draft. Check it "
        "and carry on from here.",
    )
    return redirect(_task_list(assessment))


def _open(request: HttpRequest, membership: Membership) -> tuple[Preview | None, Framework | None]:
    """The preview posted back, if it is genuine, current, and was made for this person
    and this council."""
    try:
        preview = Preview.open(request.POST.get("preview", ""))
    except signing.BadSignature:
        return None, None
    if preview.council != membership.council.pk or preview.user != request.user.pk:
        return None, None
    return preview, Framework.objects.filter(pk=preview.framework).first()


def _add_problems(form: UploadForm, problems: list[str]) -> None:
    shown = problems[:PROBLEMS_SHOWN]
    if len(problems) > len(shown):
        shown.append(f"and {len(problems) - len(shown)} more problems")
    for problem in shown:
        form.add_error("file", problem)


def _task_list(assessment) -> str:
    return reverse(
        "workspace:assessment", kwargs={"slug": assessment.council.slug, "pk": assessment.pk}
    )


def _upload_page(
    request: HttpRequest,
    membership: Membership,
    form: UploadForm,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "interchange/upload.html",
        {
            "council": membership.council,
            "membership": membership,
            "form": form,
            "problem": problem,
            "max_size": size_text(settings.IMPORT_MAX_BYTES),
        },
        status=status,
    )


@dataclass(frozen=True)
class Item:
    """One statement on the preview page: the toolkit's, what was read, the fields.
    A statement read clearly shows its fields folded away, unless they have an error or
    hold something other than what was read (open)."""

    statement: Statement
    row: PreviewRow
    prefix: str
    score: BoundField
    evidence: BoundField
    links: BoundField
    same_text: bool
    open: bool


@dataclass(frozen=True)
class Section:
    principle: Principle
    reading: PreviewPrinciple | None
    items: list[Item]


def _preview_page(
    request: HttpRequest,
    membership: Membership,
    preview: Preview,
    form: ConfirmForm,
    framework: Framework,
    status: int = 200,
) -> HttpResponse:
    parts = framework_parts(framework)
    rows = {row.ref: row for row in preview.rows}
    totals = {p.number: p for p in preview.principles}
    sections = []
    for principle in parts.principles:
        items = []
        for statement in parts.statements.values():
            if statement.principle_id != principle.pk:
                continue
            p = field_prefix(statement.ref)
            row = rows.get(statement.ref) or PreviewRow(
                statement.ref, "", None, "", True, ["Statement text not found in the document"]
            )
            score, evidence, links = (form[f"{p}-{n}"] for n in ("score", "evidence", "links"))
            items.append(
                Item(
                    statement=statement,
                    row=row,
                    prefix=p,
                    score=score,
                    evidence=evidence,
                    links=links,
                    same_text=_plain(row.found) == _plain(statement.text),
                    open=row.check
                    or bool(score.errors or evidence.errors or links.errors)
                    or _shown_digest(score, evidence, links) != row.digest,
                )
            )
        sections.append(Section(principle, totals.get(principle.number), items))
    return render(
        request,
        "interchange/preview.html",
        {
            "council": membership.council,
            "membership": membership,
            "form": form,
            "preview": preview,
            "sections": sections,
            "checking": [item for section in sections for item in section.items if item.row.check],
            "levels": parts.levels,
            "clear": sum(not row.check for row in preview.rows),
            "total": sum(row.score or 0 for row in preview.rows),
            "maximum": sum(p.maximum for p in preview.principles)
            or parts.maximum(len(parts.statements)),
            "format_name": FORMAT_NAMES.get(preview.format, preview.format),
        },
        status=status,
    )


FORMAT_NAMES = {
    "docx": "Word document",
    "pdf": "PDF",
    "xlsx": "Excel workbook",
    "text": "text file",
}


def _shown_digest(score: BoundField, evidence: BoundField, links: BoundField) -> str:
    """The fingerprint of what a statement's fields hold, as the reading's is made."""
    value = score.value()
    text = (evidence.value() or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    addresses = [line.strip() for line in (links.value() or "").splitlines() if line.strip()]
    return values_digest(None if value in (None, "") else _int(value), text, addresses)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _plain(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()
