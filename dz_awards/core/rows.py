"""A row looked up again inside a service, usually to lock it, may be gone by then.

A request reads its object first (a scoped lookup, 404 outside the scope), and
the service then reads the same row again under `select_for_update` before it
changes anything. Between the two, another request may have deleted it: an
upload racing the nomination's deletion, say. That is "not found" for this
request, never a server error. `row_or_gone` is the one place that says so:
the error it raises is both the model's own `DoesNotExist` (so a caller that
expects that, such as a bulk run going on to its next item, still catches it)
and `Http404` (so a view that lets it pass answers 404). It is not one of the
refusals views catch (`core.errors.REFUSALS`): a page about a row that is gone
has nothing left to show again.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

GONE_MESSAGE = "This record no longer exists: it was deleted a moment ago."


class RowGone(Http404):
    """The row a service looked up again was deleted since the request first read it."""


@cache
def gone_error(model: type[Model]) -> type[RowGone]:
    """The error for a gone row of `model`: `RowGone` and `model.DoesNotExist` at once."""
    return type(
        f"{model.__name__}Gone",
        (RowGone, model.DoesNotExist),  # type: ignore[attr-defined]
        {"__module__": __name__, "__doc__": RowGone.__doc__},
    )


def row_or_gone[M: Model](queryset: QuerySet[M], /, **lookup: Any) -> M:
    """`queryset.get(**lookup)`, raising `gone_error(model)` when the row is gone.

    Pass the queryset as the service locks it (`select_for_update`, the related
    rows it needs). More than one match is a programming error and stays one.
    """
    try:
        return queryset.get(**lookup)
    except ObjectDoesNotExist as error:  # `get` raises only its model's own
        raise gone_error(queryset.model)(GONE_MESSAGE) from error
