"""The code that builds the demo world from `dz_awards.demo.content`, through the apps' services.

- `world`: `load_demo_data`, the entry point: accounts, cycles, agencies, then the rest;
- `nominations`: this year's nominations, each to its final state;
- `reviews`: last year's review, scores and decisions, and this year's panels;
- `profiles`: the public library (imported history and last year's profiles);
- `people`: accounts and agencies, made through the account and agency services;
- `outbox`: emails that belong to the demo's past, marked as sent.
- `bulk`: six agencies of their own, their nominations returned together by one bulk action;
- `emails`: this year's own wording of the returned-for-changes email;
- `packets`: a committee archive and a reviewer's blind packet, asked for.

Where a loader writes rows itself, a comment says why: either no service
exists for it (cycles, categories, panels and phases are set up in the admin)
or the demo needs a past that no service can produce now.
"""
