"""This year's review copies and the reviewers' preferences before assignment.

Staff write a copy for each nomination submitted so far (a blind title, an
executive summary and a redacted text, with no trace of the agency), so that the
panels can say which they would like to review before staff assign them. The
demo reviewer is eager about one, unwilling about another and has a conflict
with the third; two more reviewers state a wish each. Keyed by the nomination's
own title (what the agency typed, never shown to reviewers).
"""

from dataclasses import dataclass

from dz_awards.demo.content.world import REVIEWER


@dataclass(frozen=True)
class CurrentCopy:
    blind_title: str
    executive_summary: str
    redacted_text: str


COPIES = {
    "Safety Culture 360": CurrentCopy(
        "One safety committee for the road, the jail and the courthouse",
        "A sheriff's office brought deputies, detention staff and dispatchers into one safety "
        "committee that reviews every injury and near-miss. Each review ends with one change "
        "and an owner; recordable injuries and lost workdays are tracked against the year "
        "before.",
        "Injuries used to be treated as bad luck, and nobody looked for patterns across patrol, "
        "detention and court security. The committee now meets monthly, reviews every injury "
        "and near-miss, and turns what it learns into training, equipment or policy within 90 "
        "days: defensive tactics refreshers in detention, roadside lighting kits, and a "
        "two-deputy rule for some warrant services.",
    ),
    "Arrive Alive: Seat Belts and Safe Speeds": CurrentCopy(
        "Seat belts and safe speeds reviewed every week by sergeants",
        "A municipal department uses in-car telematics to flag unbelted driving and high "
        "speeds without lights and siren. Sergeants talk each flag through with the officer, "
        "and every officer takes a four-hour driving refresher each year.",
        "After three officers were hurt in crashes in one year, two of them unbelted, the "
        "department started reading the telematics it already had. Reports reach the shift "
        "sergeant every Monday; a flag leads to a conversation, not a discipline file, and a "
        "third flag in 90 days to a ride-along with a driving instructor. Belt extenders and "
        "belt-friendly holster positions are offered to every officer.",
    ),
    "Body Armor Fit and Wear Program": CurrentCopy(
        "Body armor that fits, worn on every shift",
        "A municipal department made body armor mandatory on every shift, with no summer "
        "exemption. A trained quartermaster fits every vest, shift inspection checks fit and "
        "condition monthly, and vests are replaced before their warranty runs out.",
        "Officers left vests in their lockers on hot days and in plain-clothes assignments, "
        "and many vests no longer fitted. The program added lighter carriers, outer carriers "
        "for plain-clothes work, a fitting for every officer and a monthly check of every "
        "vest's fit, condition and expiry date. Wear at random checks was 82 % the year "
        "before.",
    ),
}

CONFLICT_REASON = (
    "I sat on a regional jail safety board with this sheriff's office's command staff, "
    "and I recognise the program."
)

# {reviewer email: {nomination title: "eager", "willing", "unwilling" or "conflict"}}
PREFERENCES = {
    REVIEWER: {
        "Arrive Alive: Seat Belts and Safe Speeds": "eager",
        "Body Armor Fit and Wear Program": "unwilling",
        "Safety Culture 360": "conflict",
    },
    "renee.walsh@example.org": {"Body Armor Fit and Wear Program": "eager"},
    "luis.ferreira@example.org": {
        "Safety Culture 360": "eager",
        "Arrive Alive: Seat Belts and Safe Speeds": "willing",
    },
}
