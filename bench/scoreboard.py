"""Benchmark of the staff scoreboard and the review CSV exports of a large cycle.

Seeds (once; later runs reuse it) a closed bench cycle with `--nominations`
nominations in review (default 2,000) over five categories, the default rubric
(six criteria, through `rubric_create_default`) and `--reviews` submitted
reviews per nomination (default 3) by a pool of reviewers, each review with a
score and justification per criterion and its stored total computed by
`scoring.weighted_total`, as `review_save(submit=True)` stores it. Rows are
bulk-inserted for speed; they are the rows the services would leave.

Then, in this process with Django's test client (the full middleware stack,
a signed-in program staff member with the second factor), it times the
scoreboard page and each CSV export from request to last byte (median of
`--rounds`), counts their queries, and says whether each CSV streams
(a StreamingHttpResponse, so the first rows leave before the whole is built).
It is not a test: it prints figures and fails on nothing but errors.

    export DATABASE_URL=postgres://dz_ci:dz_ci@127.0.0.1:5432/dz_bench
    .venv/bin/python bench/scoreboard.py               # --nominations 500 for a quick run
    .venv/bin/python bench/scoreboard.py --clean       # remove the bench cycle
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

# The test client speaks to "testserver" over plain HTTP.
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("DEBUG", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import profiles as bench
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.agencies.enums import AgencyType, USState
from dz_awards.agencies.models import Agency
from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import scoring
from reviews.enums import AssignmentState, Confidence
from reviews.models import Assignment, Review, ReviewerProfile, Score
from reviews.services.rubrics import rubric_create_default

User = get_user_model()
CYCLE_YEAR = 2098
STAFF_EMAIL = "bench-scoreboard-staff@example.org"
REVIEWER_EMAIL = "bench-scoreboard-reviewer-{:03d}@example.org"
CATEGORIES = bench.CATEGORIES


def seed(nominations, reviews_each, reviewers, *, seed_value=7):
    """The bench cycle with its nominations and reviews; (cycle, staff, seconds to seed)."""
    started = time.perf_counter()
    rng = random.Random(seed_value)
    now = timezone.now()
    staff, created = User.objects.get_or_create(
        email=STAFF_EMAIL,
        defaults={"full_name": "Bench Staff", "is_staff": True, "email_verified_at": now},
    )
    if created:
        TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    cycle = Cycle.objects.filter(year=CYCLE_YEAR).first()
    if cycle is not None and cycle.nominations.count() == nominations:
        return cycle, staff, 0.0
    if cycle is not None:
        clean()
    with transaction.atomic():
        cycle = Cycle.objects.create(
            year=CYCLE_YEAR,
            name=f"{CYCLE_YEAR} Scoreboard Bench",
            opens_at=now - timedelta(days=120),
            closes_at=now - timedelta(days=60),
        )
        categories = [
            Category.objects.create(cycle=cycle, code=code, label=label, position=i)
            for i, (code, label) in enumerate(CATEGORIES)
        ]
        rubric = rubric_create_default(actor=staff, cycle=cycle)
        criteria = list(rubric.criteria.order_by("position"))
        weights = {c.pk: c.weight for c in criteria}
        group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
        people = []
        for index in range(reviewers):
            person, _ = User.objects.get_or_create(
                email=REVIEWER_EMAIL.format(index),
                defaults={"full_name": f"Reviewer {index:03d}", "email_verified_at": now},
            )
            ReviewerProfile.objects.get_or_create(user=person)
            people.append(person)
        group.user_set.add(*people)
        # Each reviewer leans a little: the normalisation has something to correct.
        lean = {person.pk: rng.choice([-1, 0, 0, 1]) for person in people}
        agencies = Agency.objects.bulk_create(
            Agency(
                name=f"Scoreboard Bench Town {i} Police Department",
                agency_type=AgencyType.MUNICIPAL,
                state=rng.choice(USState.values),
                city=f"Scoreboard Town {i}",
                sworn_officers=rng.randint(10, 900),
                contact_name="Chief Jordan Smith",
                contact_email=f"chief{i}@example.org",
                created_by=staff,
            )
            for i in range(nominations)
        )
        rows = Nomination.objects.bulk_create(
            Nomination(
                agency=agencies[i],
                cycle=cycle,
                category=categories[i % len(categories)],
                state=NominationState.IN_REVIEW,
                title=f"{rng.choice(bench.PROGRAMS)} {i}",
                summary=bench.paragraph(rng, 2),
                created_by=staff,
                updated_by=staff,
                submitted_at=now - timedelta(days=61),
            )
            for i in range(nominations)
        )
        assignments = Assignment.objects.bulk_create(
            Assignment(
                nomination=nomination,
                reviewer=person,
                state=AssignmentState.SUBMITTED,
                assigned_by=staff,
                responded_at=now - timedelta(days=50),
            )
            for n, nomination in enumerate(rows)
            for k in range(reviews_each)
            for person in [people[(n * reviews_each + k) % len(people)]]
        )
        given = []
        for assignment in assignments:
            level = 2 + assignment.nomination_id.int % 3 + lean[assignment.reviewer_id]
            given.append({c.pk: max(1, min(5, level + rng.randint(-1, 1))) for c in criteria})
        reviews = Review.objects.bulk_create(
            Review(
                assignment=assignment,
                overall_comment=bench.paragraph(rng, 1),
                confidence=rng.choice(Confidence.values),
                total=Decimal(
                    str(
                        scoring.weighted_total(
                            scores, weights, scale_min=rubric.scale_min, scale_max=rubric.scale_max
                        )
                    )
                ).quantize(Decimal("0.000000001")),
                version=2,
                updated_at=now - timedelta(days=40),
                submitted_at=now - timedelta(days=40),
            )
            for assignment, scores in zip(assignments, given, strict=True)
        )
        Score.objects.bulk_create(
            Score(
                review=review,
                criterion_id=pk,
                score=score,
                justification=bench.paragraph(rng, 1),
            )
            for review, scores in zip(reviews, given, strict=True)
            for pk, score in scores.items()
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("nominations_nomination", "reviews_assignment", "reviews_review"):
                cursor.execute(f"ANALYZE {table}")
    return cycle, staff, time.perf_counter() - started


def clean():
    cycle = Cycle.objects.filter(year=CYCLE_YEAR).first()
    if cycle is None:
        return
    with transaction.atomic():
        nominations = Nomination.objects.filter(cycle=cycle)
        Score.objects.filter(review__assignment__nomination__in=nominations).delete()
        agencies = list(nominations.values_list("agency_id", flat=True))
        nominations.delete()
        Agency.objects.filter(pk__in=agencies).delete()
        cycle.delete()
    print("Removed the scoreboard bench cycle.")


def signed_in(staff):
    client = Client()
    client.force_login(staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=staff).persistent_id
    session.save()
    return client


def timed(client, url):
    """(seconds to the first byte, seconds to the last, status, KB, queries, streams)."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        first = time.perf_counter() - started
        streams = isinstance(response, StreamingHttpResponse)
        if streams:
            chunks = iter(response.streaming_content)
            body = next(chunks, b"")
            first = time.perf_counter() - started
            body += b"".join(chunks)
        else:
            body = response.content
        last = time.perf_counter() - started
    return first, last, response.status_code, len(body) / 1024, len(queries), streams


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nominations", type=int, default=2000)
    parser.add_argument("--reviews", type=int, default=3, help="submitted reviews each")
    parser.add_argument("--reviewers", type=int, default=90, help="the pool of reviewers")
    parser.add_argument("--rounds", type=int, default=5, help="timed requests each (median)")
    parser.add_argument("--clean", action="store_true", help="remove the bench cycle")
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if args.clean:
        clean()
        return
    cycle, staff, seconds = seed(args.nominations, args.reviews, args.reviewers)
    reviews = Review.objects.filter(assignment__nomination__cycle=cycle).count()
    print(
        f"cycle {cycle.year}: {cycle.nominations.count()} nominations, {reviews} submitted "
        f"reviews, {Score.objects.filter(review__assignment__nomination__cycle=cycle).count()} "
        f"scores (seeded in {seconds:.1f} s)"
    )
    client = signed_in(staff)
    pages = [
        ("scoreboard", reverse("staff:review-scoreboard", args=[cycle.pk])),
        ("nominations.csv", reverse("staff:review-export-nominations", args=[cycle.pk])),
        ("reviews.csv", reverse("staff:review-export-reviews", args=[cycle.pk])),
    ]
    header = (
        f"{'':18}{'median s':>9}{'min s':>8}{'1st byte s':>11}{'KB':>8}{'queries':>8}{'streams':>9}"
    )
    print(f"\nin-process test client, median of {args.rounds} after one warm-up\n")
    print(header)
    print("-" * len(header))
    for name, url in pages:
        warm = timed(client, url)
        if warm[2] != 200:
            sys.exit(f"{url} answered {warm[2]}")
        runs = [timed(client, url) for _ in range(args.rounds)]
        last = [run[1] for run in runs]
        first = statistics.median(run[0] for run in runs)
        _f, _l, _s, kb, queries, streams = runs[-1]
        print(
            f"{name:18}{statistics.median(last):>9.3f}{min(last):>8.3f}{first:>11.3f}"
            f"{kb:>8.0f}{queries:>8}{'yes' if streams else 'no':>9}"
        )


if __name__ == "__main__":
    main()
