"""Demo data: a small, realistic world to click through (`manage.py demo_data`). Idempotent.

This app sits on top of every other one and nothing imports it. `content`
holds what the world says (plain data), `loaders` builds it through the
services, `images` and `documents` draw the files agencies upload.
"""
