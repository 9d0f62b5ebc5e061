"""Shared set-up of the directive, legal-library and KPI tests: the outgoing-documents world (a department that
issues through the real services), the portal's home with directive and legal-documents sections, and a policy."""

from wagtail.models import Page

from egov.documents.services import outgoing as svc
from egov.documents.tests import pki
from egov.documents.tests import world_outgoing as w
from egov.portal.models import DirectivePolicy, Section
from egov.portal.tests import site_builders as sb


def portal_sections():
    home = sb.home()
    directive = sb.section(home, "Thông tin chỉ đạo, điều hành", Section.DIRECTIVE, slug="chi-dao-dieu-hanh")
    legal = sb.section(home, "Văn bản quy phạm pháp luật", Section.LEGAL_DOCUMENTS, slug="van-ban-qppl")
    return home, directive, legal


def policy_for(world, *, types=None, publish_immediately=False, legal_library=True) -> DirectivePolicy:
    policy = DirectivePolicy.objects.create(agency=world.sender, publish_immediately=publish_immediately,
                                            legal_library=legal_library)
    policy.document_types.set(types if types is not None else [world.quyet_dinh])
    return policy


def issue(world, capture, *, register=None, **kwargs):
    """Sign and issue through the documents services; the commit hooks (our signal's task) run."""
    document = w.signed_document(world, **kwargs)
    with capture(execute=True):
        svc.outgoing_issue(actor=world.clerk, document=document, register=register)
    document.refresh_from_db()
    return document


def world_setup(settings):
    """The outgoing-documents world with signing credentials (call it from a ``world`` fixture)."""
    world = w.world_make()
    w.credentials(world)
    settings.DOCUMENTS_TRUST_ROOTS = pki.trust_roots_paths()
    return world


def live_children(parent: Page):
    return [page.specific for page in parent.get_children().live()]
