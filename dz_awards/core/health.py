"""/healthz: the process is alive and answers, behind every middleware of the site.

Load balancers ask it often, so it reads nothing (no database, no cache, no
session); it is also the bench's yardstick for the cheapest possible page.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
