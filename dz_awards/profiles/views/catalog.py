"""`/data.json`: the library's open data described for federal data catalogues.

A catalogue in the DCAT-US 1.1 (Project Open Data Metadata Schema v1.1) form
that Data.gov and agency catalogues harvest: one dataset (the published model
programs) and its distributions (JSON API, CSV, Atom feed). Fields and types
follow the schema's JSON Schema files, project-open-data/project-open-data.github.io
`v1.1/schema/catalog.json`, `dataset.json`, `distribution.json`,
`organization.json` and `vcard.json`: required are the catalogue's
`conformsTo` and `dataset`; each dataset's `bureauCode`, `programCode`, `title`,
`description`, `keyword`, `modified`, `publisher` (`name`), `contactPoint`
(`fn`, `hasEmail` as mailto:) `identifier` and `accessLevel`; a distribution
with a `downloadURL` also has `mediaType` and `format`.

The program's OMB bureau and program codes are settings
(`OPEN_DATA_BUREAU_CODE`, `OPEN_DATA_PROGRAM_CODE`).
"""

from email.utils import parseaddr

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from dz_awards.profiles import library, selectors
from dz_awards.profiles.views.api import json_response
from dz_awards.profiles.views.public import SITE_NAME, absolute

SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
# The Department of Justice's agency code with bureau 00, and program 000 (unspecified),
# until the operator sets the program's own codes.
DEFAULT_BUREAU_CODE = "011:00"
DEFAULT_PROGRAM_CODE = "011:000"
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
KEYWORDS = ["officer safety", "officer wellness", "law enforcement", "model programs"]
DESCRIPTION = (
    "Officer safety and wellness programs recognized by the Destination Zero Awards "
    "(winners and finalists): the agency, its city, state, type and size, the award "
    "year and category, topics, and the program's need, approach, results and cost."
)


def catalog() -> dict:
    """The data.json catalogue, as a dict ready for JSON."""
    name, _sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    email = settings.CONTACT_EMAIL
    changed = selectors.library_last_changed() or timezone.now()
    topics = [label for _slug, label in library.filter_choices().topics]
    distribution = [
        {
            "@type": "dcat:Distribution",
            "title": title,
            "description": description,
            "downloadURL": absolute(reverse(url_name)),
            "mediaType": media_type,
            "format": file_format,
            # The JSON API's parameters and answers, in OpenAPI (a DCAT-US data dictionary).
            **(
                {
                    "describedBy": absolute(reverse("profiles:api-openapi")),
                    "describedByType": "application/vnd.oai.openapi+json",
                }
                if url_name == "profiles:api-list"
                else {}
            ),
        }
        for title, description, url_name, media_type, file_format in [
            (
                "Programs as JSON",
                "Paged (page, page_size) and filtered like the directory.",
                "profiles:api-list",
                "application/json",
                "JSON",
            ),
            (
                "Programs as CSV",
                "Every published program, one row each.",
                "profiles:api-csv",
                "text/csv",
                "CSV",
            ),
            (
                "New programs (Atom feed)",
                "The latest published programs.",
                "profiles:feed",
                "application/atom+xml",
                "Atom",
            ),
        ]
    ]
    directory = absolute(reverse("profiles:directory"))
    return {
        "@context": f"{SCHEMA}/catalog.jsonld",
        "@id": absolute(reverse("profiles:data-json")),
        "@type": "dcat:Catalog",
        "conformsTo": SCHEMA,
        "describedBy": f"{SCHEMA}/catalog.json",
        "dataset": [
            {
                "@type": "dcat:Dataset",
                "title": f"{SITE_NAME}: model programs",
                "description": DESCRIPTION,
                "keyword": list(dict.fromkeys([*KEYWORDS, *(t.lower() for t in topics)])),
                "modified": changed.date().isoformat(),
                "publisher": {"@type": "org:Organization", "name": name or SITE_NAME},
                "contactPoint": {
                    "@type": "vcard:Contact",
                    "fn": name or SITE_NAME,
                    "hasEmail": f"mailto:{email}",
                },
                "identifier": directory,
                "accessLevel": "public",
                "bureauCode": [getattr(settings, "OPEN_DATA_BUREAU_CODE", DEFAULT_BUREAU_CODE)],
                "programCode": [getattr(settings, "OPEN_DATA_PROGRAM_CODE", DEFAULT_PROGRAM_CODE)],
                "license": LICENSE,
                "landingPage": directory,
                "accrualPeriodicity": "irregular",
                "spatial": "United States",
                "language": ["en-US"],
                "distribution": distribution,
            }
        ],
    }


class DataJsonView(View):
    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return json_response(catalog())
