"""Django's management commands: `python -m utskrivning.service.manage <command>`.

A developer's tool first (`makemigrations` in a checkout), so DEBUG is on here unless the
environment says otherwise; on a server the environment file sets `UTSKRIVNING_DEBUG=false`
(docs/operations.md). `utskrivning serve` and `worker` never default to DEBUG.
"""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "utskrivning.service.settings")
    os.environ.setdefault("UTSKRIVNING_DEBUG", "true")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
