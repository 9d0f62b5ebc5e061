"""Who may do what on the citizens' side. A citizen acts only on his own dossiers (``dossiers_visible_to``);
officials use the back office, not these pages."""

from egov.accounts.roles import Role
from egov.core.policies import is_authenticated
from egov.onestop.models import FileRole
from egov.onestop.status import DossierStatus

SUPPLEMENT_STATUSES = frozenset({DossierStatus.SUPPLEMENT, DossierStatus.RECEPTION_SUPPLEMENT})
WITHDRAWABLE_STATUSES = frozenset({
    DossierStatus.SUBMITTED, DossierStatus.RECEPTION_SUPPLEMENT, DossierStatus.RECEIVED, DossierStatus.PROCESSING,
    DossierStatus.CONSULTING, DossierStatus.SUPPLEMENT, DossierStatus.AWAITING_PAYMENT,
})
FINISHED_STATUSES = frozenset({DossierStatus.DONE, DossierStatus.REJECTED, DossierStatus.RETURNED})
# What the applicant may download of his dossier besides the result: what he sent, and the slips issued to him
# (Form 01 receipt, Form 02 request, Form 03 refusal). Officials' working files stay internal.
APPLICANT_FILE_ROLES = frozenset({FileRole.PAPER, FileRole.SUPPLEMENT, FileRole.FORM})


def is_citizen(user) -> bool:
    return is_authenticated(user) and user.role == Role.CITIZEN


def is_applicant(user, dossier) -> bool:
    return is_citizen(user) and dossier.applicant_user_id == user.pk


def can_supplement(user, dossier) -> bool:
    return is_applicant(user, dossier) and dossier.status in SUPPLEMENT_STATUSES


def can_withdraw(user, dossier) -> bool:
    return is_applicant(user, dossier) and dossier.status in WITHDRAWABLE_STATUSES


def can_download_result(user, dossier) -> bool:
    """Results come online only when the procedure version says so, and only once the dossier is finished."""
    return (is_applicant(user, dossier) and dossier.procedure_version.online_result
            and dossier.status in FINISHED_STATUSES)


def can_download_file(user, dossier, record) -> bool:
    if record.dossier_id != dossier.pk:
        return False
    if record.role == FileRole.RESULT:
        return can_download_result(user, dossier)
    return is_applicant(user, dossier) and record.role in APPLICANT_FILE_ROLES


def can_rate(user, dossier, *, already_rated: bool) -> bool:
    return is_applicant(user, dossier) and dossier.status in FINISHED_STATUSES and not already_rated
