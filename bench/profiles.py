"""Benchmark of the public library: directory, profile page and PDF summary.

Seeds N published profiles (default 10,000) into the database named by
DATABASE_URL, then measures a running server: the directory (page 1, a
filtered page, a keyword search), one profile page and its PDF summary (rendered
first by the PDF task, so the server serves a current one). For each it prints
the median and 95th percentile time per request, one request at a time, and
the requests per second that a few concurrent clients get.

It is not a test: it prints figures and fails on nothing but errors. Use a
scratch database, never one you care about; the server must use the same
DATABASE_URL and MEDIA_ROOT:

    export DATABASE_URL=sqlite:////tmp/bench.sqlite3 MEDIA_ROOT=/tmp/bench-media
    .venv/bin/python manage.py migrate
    make serve                              # in a second terminal, same exports
    .venv/bin/python bench/profiles.py      # --n 2000 for a quick run

Seeding is idempotent (profiles whose slug starts with "bench-" are counted
and only the missing ones are added); `--clean` removes them. The server is
only ever reached on a loopback address.
"""

import argparse
import logging
import os
import random
import secrets
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dz_awards.settings")
# The bench only writes rows: it signs nothing, so any key will do for its own process.
os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))

import django  # noqa: E402 - settings first

django.setup()
# WeasyPrint logs each step of the one PDF rendered here; only the figures matter.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

from django.contrib.postgres.search import SearchVector  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from dz_awards.agencies.enums import AgencyType, USState  # noqa: E402
from dz_awards.profiles.enums import Award, ProfileState  # noqa: E402
from dz_awards.profiles.models import Profile, ProfilePdf, Topic  # noqa: E402
from dz_awards.profiles.services import BODY_FIELDS  # noqa: E402
from dz_awards.profiles.tasks import render_profile_pdf  # noqa: E402

PREFIX = "bench-"
BATCH = 1000
EASTERN = ZoneInfo("America/New_York")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

CATEGORIES = [
    ("general-officer-safety", "General Officer Safety"),
    ("officer-traffic-safety", "Officer Traffic Safety"),
    ("officer-wellness", "Officer Wellness"),
    ("comprehensive-safety", "Comprehensive Safety"),
    ("comprehensive-wellness", "Comprehensive Wellness"),
]
TOPICS = [
    "Peer support",
    "Mental health",
    "Fitness",
    "Family support",
    "Seat belts",
    "Driving safety",
    "Body armor",
    "Scenario training",
    "Injury review",
    "Fatigue and sleep",
    "Casualty care",
    "Roadside safety",
]
PROGRAMS = [
    "Peer Support Team",
    "Seat-Belt Culture Campaign",
    "Body Armor Audits",
    "Crash Review Board",
    "Fatigue Management",
    "Scenario Training",
    "Safety Officer Program",
    "Family Resilience Nights",
    "Annual Wellness Check",
    "Tourniquets for Every Officer",
    "Pursuit Risk Matrix",
    "Near-Miss Reporting",
]
PLACES = [
    "Riverton",
    "Cedar Falls",
    "Harbor City",
    "Pinecrest",
    "Millbrook",
    "Fairhaven",
    "Granite Valley",
    "Desert Springs",
    "Westbury",
    "Lakeshore",
    "Ironwood",
    "Red Mesa",
    "Portside",
    "Sage Flats",
    "Northfield",
    "Eastbrook",
]
_TEXT = (
    "officers training supervisors policy crashes injuries wellness families shifts "
    "budget coordinator sergeant reviews results survey participation deputies patrol "
    "community partners academy clinician confidential fitness screening stress sleep "
    "roadside vehicles pursuits armor vests briefing dispatch backup radio rural"
)
WORDS = _TEXT.split()


def paragraph(rng, sentences=4):
    out = []
    for _ in range(sentences):
        words = rng.sample(WORDS, rng.randint(8, 14))
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def new_profile(rng, index, now):
    year = rng.randint(2014, now.year)
    code, label = rng.choice(CATEGORIES)
    program = rng.choice(PROGRAMS)
    place = rng.choice(PLACES)
    kind = rng.choice([AgencyType.MUNICIPAL, AgencyType.SHERIFF, AgencyType.STATE])
    kind_name = "Sheriff's Office" if kind == AgencyType.SHERIFF else "Police Department"
    agency = f"{place} {kind_name}"
    title = f"{program} {index}"
    sworn = int(10 ** rng.uniform(0.8, 4))  # 6 to 10,000, log-uniform: every size band
    published = min(datetime(year + 1, 1, 1, tzinfo=EASTERN), now)
    return Profile(
        slug=f"{PREFIX}{index:06d}-{slugify(title)}"[:120],
        state=ProfileState.PUBLISHED,
        award=Award.WINNER if rng.random() < 0.3 else Award.FINALIST,
        year=year,
        category_code=code,
        category_label=label,
        agency_name=agency,
        city=place,
        state_code=rng.choice(USState.values),
        agency_type=kind,
        sworn_officers=sworn,
        title=title,
        summary=paragraph(rng, 2),
        need=paragraph(rng),
        approach=paragraph(rng, 6),
        results=paragraph(rng),
        key_figures=[{"figure": f"{rng.randint(10, 60)}%", "label": "fewer injuries"}],
        durability=paragraph(rng, 2),
        replicability=paragraph(rng, 3),
        cost_funding=f"About ${rng.randint(5, 90)},000 a year.",
        contact_name="Sgt. Dana Ortiz",
        contact_email="contact@example.org",
        published_at=published,
        first_published_at=published,
        imported=True,
    )


def seed(n, *, seed_value=42):
    """Add bench profiles until there are `n`; returns (added, seconds)."""
    started = time.perf_counter()
    have = Profile.objects.filter(slug__startswith=PREFIX).count()
    if have >= n:
        return 0, 0.0
    rng = random.Random(seed_value + have)
    topics = [
        Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in TOPICS
    ]
    now = timezone.now()
    through = Profile.topics.through
    for start in range(have, n, BATCH):
        with transaction.atomic():
            batch = [new_profile(rng, i, now) for i in range(start, min(start + BATCH, n))]
            Profile.objects.bulk_create(batch)
            through.objects.bulk_create(
                through(profile_id=profile.pk, topic_id=topic.pk)
                for profile in batch
                for topic in rng.sample(topics, rng.randint(0, 3))
            )
    if connection.vendor == "postgresql":
        # One UPDATE for every vector, as the services' refresh_search computes each.
        Profile.objects.filter(slug__startswith=PREFIX, search_vector__isnull=True).update(
            search_vector=SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector(*BODY_FIELDS, weight="C", config="english")
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE profiles_profile")
    return n - have, time.perf_counter() - started


def clean():
    bench = Profile.objects.filter(slug__startswith=PREFIX)
    for stored in ProfilePdf.objects.filter(profile__in=bench):
        stored.file.storage.delete(stored.file.name)
    count, _ = bench.delete()
    print(f"Removed {count} rows of bench profiles.")


# Measuring ----------------------------------------------------------------------------


def fetch(url, headers=None):
    """(seconds, status, bytes) of one GET, the body read to the end (as sent: gzipped
    when `headers` accept it)."""
    request = Request(  # noqa: S310 - loopback
        url, headers={"User-Agent": "dz-awards-bench", **(headers or {})}
    )
    started = time.perf_counter()
    try:
        with urlopen(request, timeout=60) as response:  # noqa: S310 - http(s) on loopback only
            size = len(response.read())
            status = response.status
    except HTTPError as error:
        size, status = len(error.read()), error.code
    return time.perf_counter() - started, status, size


def measure(url, *, requests, clients, headers=None):
    for _ in range(2):  # warm up: templates, caches, connections
        fetch(url, headers)
    timings, errors, size = [], 0, 0
    for _ in range(requests):
        seconds, status, size = fetch(url, headers)
        timings.append(seconds)
        errors += status != 200
    total = requests * 2
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(fetch, [url] * total, [headers] * total))
    wall = time.perf_counter() - started
    errors += sum(status != 200 for _s, status, _b in results)
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18]
    return {
        "median": statistics.median(timings) * 1000,
        "p95": p95 * 1000,
        "rps": total / wall,
        "kb": size / 1024,
        "errors": errors,
    }


def check_server(base):
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK:
        sys.exit(f"--base-url must be http(s) on a loopback address, not {base!r}.")
    try:
        fetch(f"{base}/programs/")
    except (URLError, OSError) as error:
        sys.exit(
            f"No server at {base} ({error}). Start it with `make serve`, with the same "
            "DATABASE_URL and MEDIA_ROOT as this script."
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="published bench profiles")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=40, help="timed requests each")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--seed-only", action="store_true", help="seed, then stop")
    parser.add_argument("--clean", action="store_true", help="remove the bench profiles")
    args = parser.parse_args()
    database = connection.settings_dict
    print(f"database: {connection.vendor} {database['NAME']}")
    if args.clean:
        clean()
        return
    added, seconds = seed(args.n)
    published = Profile.objects.filter(state=ProfileState.PUBLISHED).count()
    print(f"seeded {added} profiles in {seconds:.1f} s; {published} published in all")
    if args.seed_only:
        return
    base = args.base_url.rstrip("/")
    check_server(base)

    target = Profile.objects.filter(slug__startswith=PREFIX).order_by("slug").first()
    stored = render_profile_pdf.call(str(target.pk))  # the task's own code, run here
    print(f"PDF of {target.slug}: version {stored}, rendered")
    filters = urlencode(
        {"category": "officer-wellness", "award": "winner", "size": "100-499", "sort": "agency"}
    )
    pages = [
        ("directory, page 1", f"{base}/programs/"),
        ("directory, filtered", f"{base}/programs/?{filters}"),
        ("directory, keywords", f"{base}/programs/?{urlencode({'q': 'peer support'})}"),
        ("profile page", f"{base}/programs/{target.slug}/"),
        ("PDF summary", f"{base}/programs/{target.slug}/summary.pdf"),
    ]
    status = fetch(pages[3][1])[1]
    if status != 200:
        sys.exit(f"The server answers {status} for a bench profile: is it on this database?")
    print(
        f"\n{args.requests} requests one at a time, then {args.requests * 2} with "
        f"{args.clients} concurrent clients, against {base}\n"
    )
    header = f"{'':22}{'median ms':>10}{'p95 ms':>9}{'req/s':>9}{'KB':>8}{'errors':>8}"
    print(header)
    print("-" * len(header))
    for name, url in pages:
        row = measure(url, requests=args.requests, clients=args.clients)
        print(
            f"{name:22}{row['median']:>10.1f}{row['p95']:>9.1f}{row['rps']:>9.1f}"
            f"{row['kb']:>8.1f}{row['errors']:>8}"
        )


if __name__ == "__main__":
    main()
