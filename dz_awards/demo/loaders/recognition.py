"""The demo's certificates and badges: last year's finalists and winners have theirs.

Releasing last year's decisions (`dz_awards.demo.loaders.reviews`) issued a
certificate to each finalist and winner, as it does for real. A demo database
loaded before certificates existed has none: the catch-up service staff would
run (`manage.py issue_certificates`) issues them here. The review demo then
moved the release back to last year; the certificates are dated with it, by a
queryset update as the review demo writes its past (no service writes a past),
before the drawing runs. The drawing is queued after commit, like the
profiles' PDF summaries: the background worker of `make run` draws them (the
test backend at commit). Idempotent: a finalist or winner with its certificate
is left as it is.
"""

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from dz_awards.demo.content.world import STAFF
from dz_awards.recognition.models import Certificate
from dz_awards.recognition.services import certificates_issue_missing
from reviews.models import Decision


def load_demo_recognition(*, past, users):
    """Issue any certificate last year's release left out, dated with the release.
    Must run in a transaction (the demo's own). Returns those issued."""
    issued = certificates_issue_missing(actor=users[STAFF], cycle=past)
    released_at = Decision.objects.filter(
        nomination=OuterRef("nomination"), released_at__isnull=False
    ).values("released_at")[:1]
    Certificate.objects.filter(nomination__cycle=past, rendered_at__isnull=True).update(
        issued_at=Coalesce(Subquery(released_at), F("issued_at"))
    )
    return issued
