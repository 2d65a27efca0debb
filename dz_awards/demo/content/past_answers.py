"""Last year's nominations in words: the agency's answers, and the copy reviewers read.

In the texts of `dz_awards.demo.content.past_nominations`, {agency} and {city}
stand for the agency's own name and city; in the copy staff prepare for
reviewers they become "the agency" and "the city".
"""

from dz_awards.demo.content.nominations.specs import YEAR_VS_LAST
from dz_awards.demo.content.past_nominations import PAST_NOMINATIONS
from dz_awards.demo.content.reviews import HEADS


def fill(text, agency_name, city):
    """A text with {agency} and {city} replaced by the agency's own name and city."""
    return text.format(agency=agency_name, city=city)


def redacted(text):
    """A text with {agency} and {city} replaced by words that name no one; a sentence
    that began with the agency's name still begins with a capital."""
    text = fill(text, "the agency", "the city")
    return text[:1].upper() + text[1:]


def answers(spec, agency, *, category, start_date):
    """Every answer of the nomination form, in the agency's own words.

    `agency` is the Agency row (its name, city and sworn officers are quoted).
    """
    name = agency.name
    head_name, head_title, head_email = HEADS[spec.agency]
    index = PAST_NOMINATIONS.index(spec)
    rate = min(99, round(40 + spec.quality * 12))
    return {
        "title": spec.title,
        "category": category,
        "start_date": start_date,
        "participation": spec.participation,
        "summary": fill(spec.summary, name, agency.city),
        "problem": spec.problem,
        "data_before": spec.data_before,
        "description": spec.description,
        "implementation": (
            f"{name} piloted the program with one shift for three months, adjusted it with "
            "the supervisors' feedback and then extended it to every shift. A lieutenant owns "
            "it and reports to command staff each quarter."
        ),
        "partners": f"City of {agency.city}; the regional training academy.",
        "policy_training": (
            "A written directive sets out who does what. Every officer is trained on it at "
            "annual in-service training, and new officers learn it in field training."
        ),
        "goals": (
            f"Improve “{spec.outcomes[0][0].lower()}” within two years, and involve every officer."
        ),
        "participation_rates": (
            f"Of our {agency.sworn_officers} sworn officers, {rate}% took part last year."
        ),
        "outcomes": [
            {
                "metric": metric,
                "before": before,
                "after": after,
                "period": YEAR_VS_LAST,
                "source": f"{name} records",
            }
            for metric, before, after in spec.outcomes
        ],
        "integration": (
            "The program is written into policy, taught in training and checked by "
            f"supervisors; its costs are in the regular operating budget of {name}."
        ),
        "sustainability": (
            "Two trained coordinators can run it, so it does not depend on one person, and "
            "its budget line is renewed every year."
        ),
        "cost_funding": f"About ${12 + 7 * index},000 a year from the operating budget.",
        "promotion": (
            f"Roll-call briefings, the {name} newsletter and short videos by officers who "
            "took part."
        ),
        "buy_in": "Officers helped design it, and their union reviewed it before launch.",
        "advice": (
            "Start small with one shift, measure before you begin, and let officers shape the "
            "details."
        ),
        "resources_needed": (
            "A coordinator for a few hours a week, supervisors' time and a modest budget for "
            "materials."
        ),
        "submitter_phone": "(555) 014-2200",
        "head_name": head_name,
        "head_title": head_title,
        "head_email": head_email,
        "head_attestation": True,
    }


def redacted_text(spec):
    """What staff write for reviewers: the nomination's texts with no agency identity."""
    lines = [
        redacted(spec.summary),
        "",
        "## The need",
        "",
        spec.problem,
        spec.data_before,
        "",
        "## What was done",
        "",
        spec.description,
        "",
        "## Results",
        "",
        *[
            f"- {metric}: {before} before, {after} after."
            for metric, before, after in spec.outcomes
        ],
    ]
    return "\n".join(lines)
