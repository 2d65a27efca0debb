"""What the demo world says: names, logins, program texts and figures, as plain data.

Nothing here touches the database; `dz_awards.demo.loaders` builds the world
from it through the apps' services.

- `world`: the demo logins, the award categories and the two demo agencies;
- `nominations`: this year's nominations, one for each state they can reach;
- `past_nominations`: last year's nominations and how far each one went;
- `past_answers`: those nominations as the agency answered them, and as reviewers read them;
- `reviews`: last year's other agencies, the reviewers and what reviewers write;
- `profiles`: how far each of last year's public profiles goes, and its look.
- `bulk`: the bulk-returned set's six agencies, their nominations and staff's message.
"""
