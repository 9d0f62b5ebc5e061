"""WSGI entry point (granian: ``granian --interface wsgi egov.wsgi:application``).

Bad configuration (a missing secret, an unreachable database or Redis) stops the worker process with one
Vietnamese line on stderr and exit status 2, not a stack trace, and only once for all of granian's workers;
granian then stops with a non-zero status. Any other error at start-up is a bug and keeps its traceback.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings.dev")


def _application():
    from django.core.wsgi import get_wsgi_application

    from egov.conf.startup import services_check

    app = get_wsgi_application()
    services_check()
    return app


try:
    application = _application()
except Exception as exc:
    from egov.conf.startup import describe_fatal, fatal_report_once

    message = describe_fatal(exc)
    if message is None:
        raise
    fatal_report_once(message)
    sys.exit(2)
