#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings.dev")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as exc:
        # Bad configuration (missing secret, unreachable database or Redis): one line and a non-zero exit,
        # not a stack trace. Anything else is a bug and keeps its traceback; so does --traceback.
        if "--traceback" in sys.argv:
            raise
        from egov.conf.startup import describe_fatal

        message = describe_fatal(exc)
        if message is None:
            raise
        sys.stderr.write(f"{message}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
