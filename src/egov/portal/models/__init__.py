from egov.portal.models.directive import DirectivePolicy
from egov.portal.models.pages import (
    ArticlePage,
    ConsultationPage,
    ContactPage,
    DirectiveItemPage,
    EnglishHomePage,
    HomePage,
    LegalDocumentPage,
    ProjectPage,
    SectionPage,
)
from egov.portal.models.sections import UPDATE_DEADLINE_WORKING_DAYS, Section

__all__ = [
    "UPDATE_DEADLINE_WORKING_DAYS", "ArticlePage", "ConsultationPage", "ContactPage", "DirectiveItemPage",
    "DirectivePolicy", "EnglishHomePage", "HomePage", "LegalDocumentPage", "ProjectPage", "Section", "SectionPage",
]
