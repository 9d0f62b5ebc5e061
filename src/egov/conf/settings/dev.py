"""Settings for `make run` on a developer's or a commune's machine: embedded SQLite, no other service."""

from egov.conf.env import env_bool
from egov.conf.settings.base import *  # noqa: F403
from egov.conf.settings.base import STATIC_ROOT

DEBUG = env_bool("DEBUG", False)

# Serve static files straight from the app folders: no collectstatic at each `make run` (it compresses every
# Wagtail asset, about half a minute), and a fresh EGOV_DATA_DIR starts as fast as an old one.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at every start when it is missing
