"""The public benchmark pages: the latest snapshot's national tables, every snapshot at
its own dated address, and each snapshot's CSV and JSON downloads. No sign-in; nothing
here ever computes a snapshot (services.publish_snapshot is a task)."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import formats, selectors


def _on() -> None:
    if not settings.BENCHMARKS:
        raise Http404


def _page(request: HttpRequest, found: selectors.Published | None) -> HttpResponse:
    latest = selectors.latest()
    context = {"snapshot": found, "latest": latest, "earlier": selectors.snapshot_list()}
    if found is not None:
        shown = [g["group"] for g in found.groups if g["shown"]]
        wanted = request.GET.get("group", "")
        chosen = wanted if wanted in shown else ("all" if "all" in shown else next(iter(shown), ""))
        context |= {
            "overview": selectors.overview(found),
            "principles": found.content["principles"],
            "shown": [g for g in found.groups if g["shown"]],
            "chosen": found.group(chosen) if chosen else None,
            "table": selectors.group_table(found, chosen) if chosen else None,
            "gap_bands": found.content["survey_gap_bands"],
        }
    return render(request, "benchmarks/snapshot.html", context)


def index(request: HttpRequest) -> HttpResponse:
    _on()
    return _page(request, selectors.latest())


def snapshot(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    _on()
    found = selectors.published(snapshot_id)
    if found is None:
        raise Http404
    return _page(request, found)


def download(request: HttpRequest, snapshot_id: int, fmt: str) -> HttpResponse:
    _on()
    chosen = formats.DOWNLOADS.get(fmt)
    row = selectors.snapshot_row(snapshot_id)
    if chosen is None or row is None:
        raise Http404
    content_type, render_file = chosen
    response = HttpResponse(render_file(row), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{formats.file_name(row, fmt)}"'
    return response
