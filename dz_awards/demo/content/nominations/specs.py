"""The shapes of this year's demo nominations, and what each agency answers in every one."""

from dataclasses import dataclass, field

from dz_awards.demo.content.world import CEDAR, RIVERTON, STAFF
from dz_awards.nominations.enums import EvidenceKind

# How far a nomination goes besides the NominationState it is left in.
PARTIAL_DRAFT = "partial draft"  # a draft stopped after the need section
RESUBMITTED = "resubmitted"  # returned, changed and submitted again

# What each demo agency answers in the contact section of every nomination.
AGENCY_CONTACTS = {
    RIVERTON: {
        "submitter_phone": "(555) 010-4417",
        "head_name": "Chief Maria Delgado",
        "head_title": "Chief of Police",
        "head_email": "chief.delgado@riverton-pd.example.org",
    },
    CEDAR: {
        "submitter_phone": "(555) 013-2290",
        "head_name": "Sheriff Thomas Whitfield",
        "head_title": "Sheriff",
        "head_email": "sheriff.whitfield@cedarcounty.example.org",
    },
}


@dataclass(frozen=True)
class Poster:
    """A campaign poster: a white emblem in a circle on a two-color gradient, and a slogan."""

    headline: str
    top: tuple  # (color name for the alt text, RGB)
    bottom: tuple
    emblem: str  # a key of dz_awards.demo.images.EMBLEMS


@dataclass(frozen=True)
class Document:
    file_name: str
    title: str
    paragraphs: tuple
    kind: str = EvidenceKind.DOCUMENT
    description: str = ""


@dataclass(frozen=True)
class DemoNomination:
    agency: str
    category: str  # a category code of the demo cycle
    ends_as: str  # PARTIAL_DRAFT, the NominationState it is left in, or RESUBMITTED
    started: tuple  # (years before the cycle's year, month): the program's start date
    content: dict
    poster: Poster | None = None
    chart: bool = False
    documents: tuple = ()
    # Returned and resubmitted: staff's request, then the thread that follows it.
    staff: str = STAFF
    return_message: str = ""
    thread: tuple = ()  # (author email, body) pairs, after the return
    # Resubmitted: what the agency changed and the files it added before resubmitting.
    changes: dict = field(default_factory=dict)
    chart_after_return: bool = False
    documents_after_return: tuple = ()
    withdraw_reason: str = ""
    screen_reason: str = ""

    @property
    def title(self):
        return self.content["title"]


def outcome(metric, before, after, period, source):
    """One row of the measured-outcomes table, as the nomination form stores it."""
    return {"metric": metric, "before": before, "after": after, "period": period, "source": source}


YEAR_VS_LAST = "Year before launch vs last 12 months"
