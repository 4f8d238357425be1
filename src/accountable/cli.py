"""The `accountable` command: every Django management command plus the product's own.

`accountable demo`, `accountable worker`, `accountable migrate`, … all run
through Django's command machinery, so `accountable help` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountable.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    from accountable.org.zone import organisation_zone_activate

    organisation_zone_activate()  # days are the organisation's, in commands too

    execute_from_command_line(["accountable", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
