#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dz_awards.settings")
    if "SECRET_KEY" not in os.environ and "DEBUG" not in os.environ:
        # A checkout with no configuration at all is a developer's: run as `make run` does,
        # rather than stopping at the missing key. Deployments always set SECRET_KEY (the
        # web server refuses to start without it), so they keep DEBUG off here too.
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line  # noqa: PLC0415 after the env is set

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
