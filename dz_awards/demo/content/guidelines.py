"""The demo's reviewer guidelines and calibration examples, one of each per cycle.

Markdown, as staff write them on the review policy page. Last year's are what
the Selection Committee read before scoring; this year's are a revision staff
made since, which the demo reviewer has not read yet.
"""

PAST_GUIDELINES = """## Before you score

Read the executive summary first, then the redacted copy and every file shared
with you. Score what the entry **shows**, not what it promises: a program that
started last month has no results yet, however good its plan.

## Scoring each criterion

- **Measurable results**: figures from before and after, over a stated period.
  A survey of how officers feel is evidence; a rise in injuries reported may be
  a better reporting culture, so read the explanation.
- **Integration**: written policy, training hours, who runs it when its founder
  leaves.
- **Durability**: how long it has run and how it is funded next year.
- **Buy-in and participation**: rates, not anecdotes. Voluntary programs with
  60 % participation are strong.
- **Promotion**: how officers and families hear of it.
- **Replicability**: could an agency of 20 officers do this? Of 2,000?

Write one or two sentences per criterion saying why. Staff read every comment;
agencies may read them without your name after release.

## Conflicts

If you worked with the agency, advised on the program, or recognise it despite
the redaction, declare a conflict on the assignment page. Your review then
counts nowhere, and staff assign someone else.
"""

PAST_EXAMPLE = """A mid-sized department's peer team contacted 96 % of officers within 24 hours
of a critical incident over two years; stress-related resignations fell from 11
to 2. The team is in a general order and funded in the city budget.

- Measurable results: **4** (clear before and after, but two years only)
- Integration: **5** (general order, budget line)
- Replicability: **4** (needs about 14 trained peers)
"""

CURRENT_GUIDELINES = (
    PAST_GUIDELINES
    + """
## New this year

Comprehensive categories are scored on the whole program, not its best part:
an excellent wellness app in a program with no policy behind it earns at most
a 3 on integration.
"""
)

CURRENT_EXAMPLE = PAST_EXAMPLE + (
    "\nA county program that trained every deputy in tactical first aid but kept "
    "no record of its use earns a **2** on measurable results, however many "
    "lives it may have saved: the Committee cannot score what it cannot see.\n"
)
