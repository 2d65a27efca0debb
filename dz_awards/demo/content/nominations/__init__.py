"""This year's demo nominations: five from Riverton, three from Cedar County.

Each one ends in a different place (a half-written draft, a complete draft,
submitted, returned with a thread, resubmitted, withdrawn, screened out), so
that every state a nomination reaches before review shows in the demo.
"""

from dz_awards.demo.content.nominations.cedar import CEDAR_NOMINATIONS
from dz_awards.demo.content.nominations.riverton import RIVERTON_NOMINATIONS
from dz_awards.demo.content.nominations.specs import (
    AGENCY_CONTACTS,
    PARTIAL_DRAFT,
    RESUBMITTED,
    DemoNomination,
    Document,
    Poster,
)

NOMINATIONS = RIVERTON_NOMINATIONS + CEDAR_NOMINATIONS

__all__ = [
    "AGENCY_CONTACTS",
    "NOMINATIONS",
    "PARTIAL_DRAFT",
    "RESUBMITTED",
    "DemoNomination",
    "Document",
    "Poster",
]
