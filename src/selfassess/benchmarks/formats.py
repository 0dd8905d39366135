"""What a snapshot publishes, and its two downloads (docs/formats.md, "Benchmarks").

`published_content` turns the outcome of `disclosure.compute_snapshot` into the public
document stored with the snapshot: the toolkit's layout and every group, shown or withheld,
with nothing but counts. `json_bytes` and `csv_bytes` write that document, the same bytes
from the web page and from `manage.py export_benchmark`. Nothing here can name a council:
the document is built from the groups' figures only, never from the private record."""

import csv
import datetime
import io
import json
from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse

from selfassess.councils.models import CouncilType, Region

from .disclosure import GAP_BANDS, Group, GroupLabel

FORMAT = "selfassess/benchmark@1"

# How a group is named: in headings, and in a sentence ("58 % of district councils").
TYPE_NAMES = {
    CouncilType.COUNTY: ("County councils", "county councils"),
    CouncilType.DISTRICT: ("District councils", "district councils"),
    CouncilType.UNITARY: ("Unitary authorities", "unitary authorities"),
    CouncilType.METROPOLITAN: ("Metropolitan boroughs", "metropolitan boroughs"),
    CouncilType.LONDON_BOROUGH: ("London boroughs", "London boroughs"),
    CouncilType.COMBINED: ("Combined authorities", "combined authorities"),
    CouncilType.TOWN_PARISH: ("Town and parish councils", "town and parish councils"),
    CouncilType.WELSH: ("Welsh principal councils", "Welsh principal councils"),
    CouncilType.SCOTTISH: ("Scottish councils", "Scottish councils"),
    CouncilType.OTHER: ("Other councils", "other councils"),
}
ALL_NAME = ("All councils that share", "all councils that share")


def group_names(label: GroupLabel) -> tuple[str, str]:
    """A group's name for a heading and for the middle of a sentence."""
    if label.kind == "all":
        return ALL_NAME
    if label.kind == "type":
        return TYPE_NAMES.get(label.key, (label.key, label.key))
    return _region_names(label.key)


# Regions named with "the" in a sentence: "councils in the North East", "in London".
WITH_THE = {
    Region.NORTH_EAST,
    Region.NORTH_WEST,
    Region.EAST_MIDLANDS,
    Region.WEST_MIDLANDS,
    Region.EAST,
    Region.SOUTH_EAST,
    Region.SOUTH_WEST,
}


def _region_names(key: str) -> tuple[str, str]:
    if key not in Region.values:
        return key, key
    label = Region(key).label
    named = f"the {label}" if key in WITH_THE else label
    return f"Councils in {named}", f"councils in {named}"


def group_order(label: GroupLabel) -> tuple[int, int]:
    """All councils, then each type and each region in the order the product lists them."""
    if label.kind == "all":
        return 0, 0
    values = list(CouncilType.values if label.kind == "type" else Region.values)
    place = values.index(label.key) if label.key in values else len(values)
    return (1 if label.kind == "type" else 2), place


def _group(group: Group) -> dict:
    name, _ = group_names(group.label)
    out = {
        "group": str(group.label),
        "kind": group.label.kind,
        "key": group.label.key,
        "name": name,
        "shown": group.published,
        "withheld": group.withheld,
        "councils": None,
        "statements": None,
        "principle_totals": None,
        "survey_gap": None,
    }
    if group.published:
        figures = group.figures
        out["councils"] = figures.councils
        out["statements"] = {ref: list(counts) for ref, counts in figures.statements.items()}
        out["principle_totals"] = {str(n): list(c) for n, c in sorted(figures.totals.items())}
        gap = group.gap
        out["survey_gap"] = {
            "shown": gap is not None,
            "withheld": None if gap is not None else group.gap_withheld,
            "councils": gap.councils if gap is not None else None,
            "bands": (
                {str(n): list(c) for n, c in sorted(gap.bands.items())} if gap is not None else None
            ),
        }
    return out


def published_content(
    groups: Sequence[Group],
    *,
    toolkit: dict,
    scale: list[dict],
    principles: list[dict],
    k: int,
    window_months: int,
    agreed_from: datetime.date,
) -> dict:
    """The public document of a snapshot (without its id and date, which the database
    gives it)."""
    return {
        "toolkit": toolkit,
        "k": k,
        "smallest_group": k + 1,
        "window_months": window_months,
        "agreed_from": agreed_from.isoformat(),
        "scale": scale,
        "principles": principles,
        "survey_gap_bands": list(GAP_BANDS),
        "groups": [_group(g) for g in sorted(groups, key=lambda g: group_order(g.label))],
    }


def document(snapshot) -> dict:
    """The JSON download: the format, the snapshot's id, date and address, then what it
    publishes."""
    return {
        "format": FORMAT,
        "snapshot": snapshot.pk,
        "published_at": snapshot.created_at.isoformat(timespec="seconds"),
        "url": settings.SITE_URL + reverse("benchmarks:snapshot", args=[snapshot.pk]),
    } | snapshot.content


def json_bytes(snapshot) -> bytes:
    return (json.dumps(document(snapshot), indent=2, ensure_ascii=False) + "\n").encode()


CSV_COLUMNS = [
    "snapshot",
    "published_at",
    "group",
    "group_name",
    "table",
    "shown",
    "withheld",
    "councils",
    "principle",
    "ref",
    "value",
    "value_label",
    "count",
]


def csv_bytes(snapshot) -> bytes:
    """One row per count (docs/formats.md): a group's statement counts, principle totals
    and survey-gap bands; one row for a group, or a survey-gap table, that is not shown."""
    doc = document(snapshot)
    scale = {s["value"]: s["label"] for s in doc["scale"]}
    refs = [(p["number"], s["ref"]) for p in doc["principles"] for s in p["statements"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    head = [doc["snapshot"], doc["published_at"]]
    for group in doc["groups"]:
        who = [group["group"], group["name"]]
        if not group["shown"]:
            writer.writerow([*head, *who, "", "no", group["withheld"], "", "", "", "", "", ""])
            continue
        n = group["councils"]
        for number, ref in refs:
            for value, count in enumerate(group["statements"][ref]):
                writer.writerow(
                    [*head, *who, "statement", "yes", "", n, number, ref, value, scale[value],
                     count]
                )  # fmt: skip
        for number, counts in group["principle_totals"].items():
            for total, count in enumerate(counts):
                writer.writerow(
                    [*head, *who, "principle_total", "yes", "", n, number, "", total, "", count]
                )
        gap = group["survey_gap"]
        if not gap["shown"]:
            writer.writerow(
                [*head, *who, "survey_gap", "no", gap["withheld"], "", "", "", "", "", ""]
            )
            continue
        for number, counts in gap["bands"].items():
            for band, count in enumerate(counts):
                writer.writerow(
                    [*head, *who, "survey_gap", "yes", "", gap["councils"], number, "", band,
                     doc["survey_gap_bands"][band], count]
                )  # fmt: skip
    return out.getvalue().encode()


DOWNLOADS = {
    "json": ("application/json", json_bytes),
    "csv": ("text/csv; charset=utf-8", csv_bytes),
}


def file_name(snapshot, fmt: str) -> str:
    return f"benchmark-{snapshot.pk}-{snapshot.created_at:%Y-%m-%d}.{fmt}"
