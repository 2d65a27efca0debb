"""Benchmark of the public library's cache: every public page cold and warm, side by side.

Seeds N published profiles with `bench/profiles.py` (default 10,000) into the
database named by DATABASE_URL, then measures a running `make serve` (same
DATABASE_URL, REDIS_URL if the server has one, and RATE_LIMIT_OPEN_DATA=off, or
the API and the feed answer 429 after 300 requests) in one run:

- the yardstick: `/healthz`, a view that returns one word behind the site's
  middleware, and a static file (whitenoise);
- each public page warm (served from the cache) as requests per second with
  concurrent clients, and cold: right after a library change (made here as a
  publish makes it, so the directory's first page is prepared by the change, as
  after a real publish; the other pages are rendered by their first visitor),
  one request at a time. The change's own time is printed apart.

Each figure is also given as a share of the one-word view's requests per
second. `--gzip` asks for compressed pages as browsers and crawlers do (the
sitemap of 10,000 programs is 1.7 MB plain, 67 KB gzipped). It is not a test:
it prints figures and fails on nothing but errors. Seeding 10,000 profiles
takes about 40 s on PostgreSQL (bulk inserts, one UPDATE for the search
vectors), once: later runs reuse them.

    .venv/bin/python bench/library.py --n 2000      # a quicker run
    .venv/bin/python bench/library.py --gzip        # as a browser asks
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import profiles as bench
from django.conf import settings

from dz_awards.profiles import processing
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.library import library_changed
from dz_awards.profiles.models import Profile

CHANGES = []  # seconds each library change took here, in the changing process


def cold(url, rounds, headers):
    """Requests per second of `url` right after a library change (median of `rounds`).

    The change is made as a publish makes it (autocommit: committed at once), so
    what a publish does once committed (the new filter choices, the directory's
    first page prepared at SITE_URL) is done here before the request is sent,
    and its time is the publisher's, reported apart.
    """
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        library_changed()
        CHANGES.append(time.perf_counter() - started)
        seconds, status, _size = bench.fetch(url, headers)
        if status != 200:
            sys.exit(f"{url} answered {status}")
        timings.append(seconds)
    return 1 / statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="published bench profiles")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=200, help="warm requests each")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--cold-rounds", type=int, default=5)
    parser.add_argument(
        "--gzip",
        action="store_true",
        help="ask for gzip as browsers and crawlers do (KB is then what was sent)",
    )
    args = parser.parse_args()
    headers = {"Accept-Encoding": "gzip"} if args.gzip else None
    added, seconds = bench.seed(args.n)
    published = Profile.objects.filter(state=ProfileState.PUBLISHED).count()
    print(
        f"database: {bench.connection.vendor}; seeded {added} in {seconds:.1f} s; "
        f"{published} published"
    )
    library_changed()
    base = args.base_url.rstrip("/")
    bench.check_server(base)
    target = Profile.objects.filter(slug__startswith=bench.PREFIX).order_by("slug").first()
    # The bench's profiles are inserted without their PDF: render this one's, as the
    # worker does after a publish (into the server's MEDIA_ROOT or bucket).
    pdf = processing.profile_render_pdf(target.pk)
    if pdf is None:
        sys.exit("the PDF summary could not be rendered")
    filters = urlencode({"category": "officer-wellness", "award": "winner", "size": "100-499"})
    pages = [
        ("directory, page 1", f"{base}/programs/"),
        ("directory, filtered", f"{base}/programs/?{filters}"),
        ("directory, keywords", f"{base}/programs/?{urlencode({'q': 'peer support'})}"),
        ("profile page", f"{base}/programs/{target.slug}/"),
        ("JSON API page", f"{base}/api/programs/"),
        ("Atom feed", f"{base}/programs/feed/"),
        ("sitemap", f"{base}/sitemap.xml"),
        ("PDF summary", f"{base}/programs/{target.slug}/summary.pdf?v={pdf.sha256[:12]}"),
    ]
    yardstick = bench.measure(f"{base}/healthz", requests=args.requests, clients=args.clients)
    one_word = yardstick["rps"]
    static = bench.measure(
        f"{base}/static/css/site.css", requests=args.requests, clients=args.clients
    )
    print(
        f"\n{args.clients} concurrent clients, {args.requests * 2} requests each warm; "
        f"cold: median of {args.cold_rounds} single requests after a library change; "
        f"{'gzip accepted' if args.gzip else 'no Accept-Encoding'}\n"
    )
    header = f"{'':22}{'warm req/s':>11}{'share':>8}{'cold req/s':>11}{'share':>8}{'KB':>8}"
    print(header)
    print("-" * len(header))
    print(f"{'one-word view':22}{one_word:>11.1f}{'100 %':>8}")
    print(f"{'static file':22}{static['rps']:>11.1f}{static['rps'] / one_word:>8.1%}")
    started = time.perf_counter()
    for name, url in pages:
        cold_rps = cold(url, args.cold_rounds, headers)
        warm = bench.measure(url, requests=args.requests, clients=args.clients, headers=headers)
        errors = f"  {warm['errors']} errors" if warm["errors"] else ""
        print(
            f"{name:22}{warm['rps']:>11.1f}{warm['rps'] / one_word:>8.1%}"
            f"{cold_rps:>11.1f}{cold_rps / one_word:>8.1%}{warm['kb']:>8.1f}{errors}"
        )
        if name == "PDF summary":
            pdf_share = warm["rps"] / static["rps"]
    print(f"\nPDF summary, warm: {pdf_share:.1%} of the static file's requests per second")
    print(
        f"\na library change, once committed (new filter choices, the directory's first "
        f"page prepared): median {statistics.median(CHANGES) * 1000:.0f} ms in the "
        f"changing process ({len(CHANGES)} changes)"
    )
    if urlsplit(settings.SITE_URL).netloc != urlsplit(base).netloc:
        print(f"SITE_URL ({settings.SITE_URL}) is not the server measured: page 1 was not prepared")
    print(f"(pages measured in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
