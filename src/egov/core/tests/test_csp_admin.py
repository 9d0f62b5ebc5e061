"""CSP of the Wagtail admin: the inline initialisers that Wagtail's widgets and panels render now are accepted
(recomputed here from Wagtail itself, so an upgrade that changes them fails this test), their hashes reach the
/cms/ policy only, an injected script is refused, and 'unsafe-inline' never appears."""

import re

import pytest
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput, AdminPageChooser, AdminTimeInput
from wagtail.documents.widgets import AdminDocumentChooser
from wagtail.images.widgets import AdminImageChooser

from egov.core.csp import admin_inline_script_hashes, script_hash, wagtail_inline_script_allowed

INLINE = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@pytest.mark.parametrize("widget", [AdminDateInput(), AdminTimeInput(), AdminDateTimeInput(), AdminImageChooser(),
                                    AdminDocumentChooser(), AdminPageChooser()], ids=lambda w: type(w).__name__)
@pytest.mark.django_db
def test_every_inline_script_of_wagtails_widgets_is_accepted(widget):
    html = str(widget.render("go_live_at", None, attrs={"id": "id_go_live_at"}))
    scripts = INLINE.findall(html)
    assert scripts, f"{type(widget).__name__} renders no inline script any more: drop its shape from egov.core.csp"
    for body in scripts:
        assert wagtail_inline_script_allowed(body), body
    allowed, refused = admin_inline_script_hashes(html.encode())
    assert refused == [] and allowed == [script_hash(body) for body in dict.fromkeys(scripts)]


def test_inline_panel_initialiser_accepted_and_injections_refused():
    options = "{\\u0022formsetPrefix\\u0022: \\u0022id_x\\u0022}"  # as escapejs writes it
    panel = '(function() {\n  var panel = new InlinePanel(JSON.parse("' + options + '"));\n})();'
    assert wagtail_inline_script_allowed(panel)
    for body in ['alert(1)', 'initDateChooser("id_date", {"a": 1}); alert(1); f({});',
                 'initDateChooser("id_date\\"); alert(1); //", {});', 'new ImageChooser("x", {"a": alert(1)});',
                 'new InlinePanel(JSON.parse("\\"));alert(1);//"));']:
        assert not wagtail_inline_script_allowed(body), body
    html = b'<script type="application/json">{"a": 1}</script><script>alert(document.cookie)</script>'
    assert admin_inline_script_hashes(html) == ([], ["alert(document.cookie)"])


@pytest.mark.django_db
def test_admin_policy_carries_the_hashes_and_the_site_keeps_its_own(client, settings):
    from egov.accounts.roles import Role
    from egov.documents.tests import world_outgoing as w
    from egov.portal.editorial import portal_editorial_setup
    from egov.portal.models import Section
    from egov.portal.tests import site_builders as sb

    editor = w.user_make("bientap.vp", role=Role.PORTAL_EDITOR, agency=w.province(), full_name="Đặng Quốc Bảo")
    news = sb.section(sb.home(), "Tin tức – sự kiện", Section.NEWS, slug="tin-tuc")
    portal_editorial_setup()
    client.force_login(editor)
    response = client.get(f"/cms/pages/add/portal/articlepage/{news.pk}/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    expected = admin_inline_script_hashes(response.content)[0]
    assert len(expected) >= 3 and all(digest in script_src for digest in expected)
    assert "unsafe-inline" not in script_src and "gravatar" not in response.content.decode()
    public = client.get("/")
    assert "sha256-" not in public["Content-Security-Policy"]
    assert "script-src 'self';" in public["Content-Security-Policy"] + ";"
