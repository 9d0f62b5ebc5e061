"""Fixtures of the crash tests (helpers in crashkit.py)."""

from crashkit import crash_instance, crash_template  # noqa: F401
