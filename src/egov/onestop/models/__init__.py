from egov.onestop.models.catalogue import (
    Field,
    OnlineMode,
    Procedure,
    ProcedureLevel,
    ProcedureVersion,
    ProcessStep,
    RequiredPaper,
)
from egov.onestop.models.dossier import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierFile,
    DossierRegisterCounter,
    DossierStep,
    EventKind,
    FileRole,
    Rating,
    StepTiming,
)
from egov.onestop.models.stats import DossierDailyStat
from egov.onestop.status import DossierStatus

__all__ = [
    "ApplicantKind", "Channel", "Dossier", "DossierCounter", "DossierDailyStat", "DossierEvent", "DossierFile",
    "DossierRegisterCounter", "DossierStatus", "DossierStep", "EventKind", "Field", "FileRole", "OnlineMode",
    "ProcessStep", "Procedure", "ProcedureLevel", "ProcedureVersion", "Rating", "RequiredPaper", "StepTiming",
]
