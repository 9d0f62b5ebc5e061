"""Reads of the citizens' side: what can be submitted online, where it goes, the citizen's own dossiers."""

from django.db.models import QuerySet

from egov.core.errors import NotFound
from egov.core.text import fold_vietnamese
from egov.directory.models import Agency, AgencyKind
from egov.onestop.catalogue import procedure_by_code, procedure_current_version, procedures_public, procedures_search
from egov.onestop.models import Dossier, DossierEvent, DossierFile, FileRole, OnlineMode, Procedure, ProcedureVersion
from egov.onestop.policies import dossiers_visible_to

ONLINE_MODES = (OnlineMode.FULL, OnlineMode.PARTIAL)
LOCAL_KINDS = (AgencyKind.COMMUNE, AgencyKind.WARD)


def procedures_for_citizens(*, q: str | None = None, online_only: bool = True) -> QuerySet:
    """Active procedures, searchable with or without diacritics; by default only those offered online."""
    queryset = procedures_public()
    if online_only:
        queryset = queryset.filter(current_version__online_mode__in=ONLINE_MODES)
    return procedures_search(queryset, q)


def procedure_for_citizen(code: str) -> tuple[Procedure, ProcedureVersion]:
    """An active procedure and the version in force today; 404 when unknown, inactive or without rules."""
    procedure = procedure_by_code(code, queryset=procedures_public())
    version = procedure_current_version(procedure)
    if version is None:
        raise NotFound(f"Thủ tục hành chính mã “{code}” hiện chưa có quy định đang hiệu lực.",
                       code="procedure_not_found")
    return procedure, version


def is_online(version: ProcedureVersion) -> bool:
    return version.online_mode in ONLINE_MODES


def submit_papers(version: ProcedureVersion) -> list:
    """Papers the applicant uploads (kind "nộp"); papers to show at the counter are not uploaded."""
    return [paper for paper in version.papers.all() if paper.kind == paper.KIND_SUBMIT]


def receiving_agencies(procedure: Procedure, version: ProcedureVersion) -> list[Agency]:
    """Where an online dossier of this procedure can be received, by an explicit rule:

    - commune-level procedures: every active xã and phường (the citizen picks his own);
    - province-level procedures: the departments (Sở) named in the version's implementing agency text;
      when the text names none of them, every active department (the citizen picks);
    - procedures of both levels: both lists.
    """
    levels = set(procedure.level.split(","))
    active = Agency.objects.filter(is_active=True)
    found: list[Agency] = []
    if "tinh" in levels:
        departments = list(active.filter(kind=AgencyKind.DEPARTMENT).order_by("name"))
        text = fold_vietnamese(version.implementing_agency_text)
        named = [agency for agency in departments if text and fold_vietnamese(agency.name) in text]
        found.extend(named or departments)
    if "xa" in levels:
        found.extend(active.filter(kind__in=LOCAL_KINDS).order_by("kind", "name"))
    return found


def citizen_dossiers(user) -> QuerySet:
    return (dossiers_visible_to(user, Dossier.objects.all())
            .select_related("procedure", "current_agency", "receiving_agency")
            .order_by("-submitted_at", "-created_at"))


def citizen_dossier(user, dossier_uuid) -> Dossier:
    """One of the citizen's own dossiers by UUID; someone else's is "not found", never "forbidden"."""
    dossier = citizen_dossiers(user).select_related("procedure_version").filter(uuid=dossier_uuid).first()
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found")
    return dossier


def dossier_public_events(dossier: Dossier) -> QuerySet:
    """What the applicant sees of the history: events marked public (status changes and messages)."""
    return DossierEvent.objects.filter(dossier=dossier, public=True).select_related("agency").order_by("seq")


def dossier_last_request(dossier: Dossier) -> DossierEvent | None:
    """The latest supplement request (Form 02), whose items the applicant must supply."""
    return (DossierEvent.objects.filter(dossier=dossier, kind__in=("request_supplement",), public=True)
            .order_by("-seq").first())


def dossier_result_files(dossier: Dossier) -> QuerySet:
    return DossierFile.objects.filter(dossier=dossier, role=FileRole.RESULT).order_by("created_at")


def dossier_own_files(dossier: Dossier) -> QuerySet:
    """What the applicant uploaded (papers and supplements), to show him what the agency received."""
    return DossierFile.objects.filter(dossier=dossier, role__in=(FileRole.PAPER, FileRole.SUPPLEMENT)).order_by(
        "created_at")


def dossier_issued_forms(dossier: Dossier) -> QuerySet:
    """Slips issued to the applicant: the receipt and appointment (Form 01), requests (02), refusals (03)."""
    return DossierFile.objects.filter(dossier=dossier, role=FileRole.FORM).order_by("created_at")
