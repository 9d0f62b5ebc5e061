"""Settings for `make run` on a developer's or a commune's machine: embedded SQLite, no other service."""

from egov.conf.env import env_bool
from egov.conf.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)
