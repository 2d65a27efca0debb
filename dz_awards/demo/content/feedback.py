"""Feedback to agencies in last year's demo cycle: the comment staff withheld, and why."""

from dz_awards.demo.content.world import RIVERTON

# The demo agency's nomination (released as not selected) whose reviewers' overall
# comment staff held back; the rest of its feedback is shared.
WITHHELD_FROM = (RIVERTON, "Move Over, Slow Down Community Campaign")
WITHHELD_REASON = (
    "The scores and the comments on each criterion say it better: this general remark "
    "repeats them in harsher words, so it stays with staff."
)
