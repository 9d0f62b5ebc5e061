#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings.dev")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as exc:
        from egov.conf.env import ConfigurationError

        if isinstance(exc, ConfigurationError):
            sys.stderr.write(f"Lỗi cấu hình: {exc}\n")
            sys.exit(2)
        raise


if __name__ == "__main__":
    main()
