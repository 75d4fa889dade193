"""The `taizhang` console script: Django's management commands under one name
(`taizhang demo`, `taizhang serve`, `taizhang createuser`, `taizhang migrate`, …)."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["taizhang", *sys.argv[1:]])


if __name__ == "__main__":
    main()
