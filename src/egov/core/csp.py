"""Content-Security-Policy of the Wagtail admin (/cms/): the site's strict policy plus the SHA-256 hashes of the
inline scripts that Wagtail's own widgets and panels write, and nothing else.

Wagtail renders a few widgets with an inline initialiser: ``initDateChooser("id_date", {...});``,
``new ImageChooser("id_image", {...});``, an InlinePanel's ``new InlinePanel(JSON.parse("..."))``. Their text
depends on the field's id and options, so it cannot be listed once at startup, and Wagtail does not take a
nonce. Instead, for each admin HTML response, every inline script must match one of the exact shapes of
Wagtail's templates below (a known initialiser, an id made of identifier characters, a JSON literal that
parses) before its hash is added to ``script-src``; any other inline script (an injected one, or a new
shape after a Wagtail upgrade) is left blocked and logged. ``'unsafe-inline'`` is never allowed.
tests/test_csp_admin.py renders Wagtail's widgets and checks that each of their scripts is accepted.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import structlog

logger = structlog.get_logger("egov.security")

ADMIN_PREFIX = "/cms/"
_SCRIPT = re.compile(rb"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_ID = r'"[A-Za-z0-9_\-]{1,200}"'
# Wagtail's inline initialisers (wagtail/admin/widgets, wagtail/admin/templates/wagtailadmin/widgets, panels).
_CALL = re.compile(
    r"^\s*(?:initDateChooser|initTimeChooser|initDateTimeChooser|new [A-Z][A-Za-z]{2,40}Chooser)"
    rf"\((?P<id>{_ID})(?:, (?P<json>\{{.*\}}))?\);\s*$",
    re.DOTALL,
)
# InlinePanel / MultipleChooserPanel: the options are passed through escapejs (only \uXXXX escapes, no quote).
_PANEL = re.compile(
    r'^\s*\(function\(\) \{\s*var panel = new (?:InlinePanel|MultipleChooserPanel)'
    r'\(JSON\.parse\("(?P<escaped>(?:[^"\\]|\\u[0-9A-Fa-f]{4})*)"\)\);\s*\}\)\(\);\s*$',
    re.DOTALL,
)


def wagtail_inline_script_allowed(body: str) -> bool:
    """Whether ``body`` is one of Wagtail's own inline initialisers (see the module docstring)."""
    match = _CALL.match(body)
    if match:
        if match.group("json") is None:
            return True
        try:
            return isinstance(json.loads(match.group("json")), dict)
        except ValueError:
            return False
    return _PANEL.match(body) is not None


def script_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def admin_inline_script_hashes(html: bytes) -> tuple[list[str], list[str]]:
    """(hashes of the allowed inline scripts, the first characters of the refused ones) in an HTML page."""
    allowed, refused = [], []
    for match in _SCRIPT.finditer(html):
        attrs = match.group("attrs").decode("utf-8", "replace")
        if re.search(r"\bsrc\s*=", attrs, re.IGNORECASE):
            continue
        kind = _TYPE.search(attrs)
        if kind and kind.group(1).lower() not in _EXECUTABLE_TYPES:
            continue  # JSON data (json_script), templates: never executed
        body = match.group("body").decode("utf-8", "replace")
        if not body.strip():
            continue
        if wagtail_inline_script_allowed(body):
            digest = script_hash(body)
            if digest not in allowed:
                allowed.append(digest)
        else:
            refused.append(body[:120])
    return allowed, refused


class AdminScriptHashesMiddleware:
    """Adds the hashes of Wagtail's inline initialisers to the CSP of /cms/ HTML responses only.

    Listed after csp.middleware.CSPMiddleware so that it sees the response first and leaves its
    ``_csp_update`` for django-csp to merge into the site's policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (not request.path.startswith(ADMIN_PREFIX) or getattr(response, "streaming", False)
                or "text/html" not in response.get("Content-Type", "")):
            return response
        allowed, refused = admin_inline_script_hashes(response.content)
        if refused:
            logger.warning("csp_admin_inline_script_refused", path=request.path, scripts=refused[:5])
        if allowed:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["script-src"] = [*update.get("script-src", []), *allowed]
            response._csp_update = update
        return response
