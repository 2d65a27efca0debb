"""Revision snapshots and the readable differences between two of them.

A snapshot is plain data (JSON), so a revision reads the same however the form
changes later.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from dz_awards.nominations.content import LABELS, OUTCOME_COLUMNS, SNAPSHOT_ORDER, clean_outcomes
from dz_awards.nominations.enums import EvidenceStatus


def snapshot(nomination):
    """The nomination's content as submitted: labels resolved, dates as ISO text."""
    data = {name: getattr(nomination, name) for name in SNAPSHOT_ORDER}
    data["category"] = nomination.category.label if nomination.category_id else ""
    data["start_date"] = nomination.start_date.isoformat() if nomination.start_date else ""
    data["participation"] = (
        nomination.get_participation_display() if nomination.participation else ""
    )
    data["outcomes"] = clean_outcomes(nomination.outcomes)
    data["head_attestation"] = bool(nomination.head_attestation)
    data["evidence"] = [
        {
            "id": str(e.pk),
            "name": e.original_name,
            "kind": e.get_kind_display(),
            "size": e.size,
            "sha256": e.sha256,
        }
        for e in nomination.evidence.all()
        if e.status != EvidenceStatus.REJECTED and e.removed_at is None
    ]
    return data


def as_text(name, value):
    """A snapshot value as the plain text a reader compares."""
    if name == "outcomes":
        return "\n".join(
            "; ".join(f"{label}: {row.get(key, '')}" for key, label, _limit in OUTCOME_COLUMNS)
            for row in value or []
        )
    if name == "head_attestation":
        return "Confirmed" if value else "Not confirmed"
    if name == "evidence":
        return "\n".join(f"{e['name']} ({e['kind']})" for e in value or [])
    if name == "start_date" and value:
        # Stored as ISO text; people read it as every other date on the site.
        try:
            return date_format(date.fromisoformat(str(value)), "M j, Y")
        except ValueError:
            return str(value)
    return str(value or "")


def readable_labels(audience="agency"):
    """{name: label} of every snapshot item, worded for who reads them.

    The form speaks to the agency ("Your name"); staff read the same answers as
    the submitter's ("Submitter's name").
    """
    labels = {**LABELS, "evidence": "Files"}
    if audience == "agency":
        return labels
    return {
        name: f"Submitter's {label[len('Your ') :]}" if label.startswith("Your ") else label
        for name, label in labels.items()
    }


def readable_items(data, *, audience="agency"):
    """(label, text) pairs in reading order, for pages and emails."""
    labels = readable_labels(audience)
    return [(labels[name], as_text(name, data.get(name))) for name in [*SNAPSHOT_ORDER, "evidence"]]


@dataclass(frozen=True)
class FieldChange:
    label: str
    html: str  # escaped text with <ins> and <del> marks


_TOKEN = re.compile(r"\s+|[^\s]+")


# Word-by-word matching costs up to the product of the two token counts (about
# 0.1 microsecond per unit here). Past this product in one answer, or for the whole
# page, a change is shown as the whole old and new text: a draft can hold text of
# any length, and a page of differences must not cost seconds of server time.
MAX_DIFF_WORK = 3_000_000
PAGE_DIFF_WORK = 5_000_000


def _whole(before, after):
    return mark_safe(  # noqa: S308 both pieces are escaped
        (f"<del>{escape(before)}</del>" if before else "")
        + (f"<ins>{escape(after)}</ins>" if after else "")
    )


def _marked(before, after, budget):
    """`before` → `after` with <del>/<ins> marks; `budget` is a one-item list of work left."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    # What both share at the start and the end needs no matching: most edits are local.
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    head, tail = "".join(old[:start]), "".join(old[len(old) - end :])
    old, new = old[start : len(old) - end], new[start : len(new) - end]
    size = len(old) * len(new)
    if size > MAX_DIFF_WORK or size > budget[0]:
        middle = _whole("".join(old), "".join(new))
        return mark_safe(escape(head) + middle + escape(tail))  # noqa: S308 escaped
    budget[0] -= size
    out = [escape(head)]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(old[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
    out.append(escape(tail))
    return mark_safe("".join(out))  # noqa: S308 every piece above is escaped


def changes(before, after, *, audience="agency"):
    """The fields that differ between two snapshots, word by word."""
    labels = readable_labels(audience)
    budget = [PAGE_DIFF_WORK]
    result = []
    for name in [*SNAPSHOT_ORDER, "evidence"]:
        old, new = as_text(name, before.get(name)), as_text(name, after.get(name))
        if old != new:
            result.append(FieldChange(labels[name], _marked(old, new, budget)))
    return result
