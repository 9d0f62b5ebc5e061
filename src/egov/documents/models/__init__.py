from egov.documents.models.choices import (
    AssignmentRole,
    AssignmentStatus,
    Channel,
    DeliveryStatus,
    Direction,
    FileKind,
    IncomingStatus,
    IntakeStepName,
    IntakeStepStatus,
    OutgoingStatus,
    RegisterKind,
    Secrecy,
    Urgency,
    WorkFileStatus,
)
from egov.documents.models.credentials import SigningCredential
from egov.documents.models.documents import DocumentEvent, DocumentFile, IncomingDocument, IntakeStep, OutgoingDocument
from egov.documents.models.handling import Assignment, Delivery, DeliveryEvent
from egov.documents.models.registers import DocumentRegister, DocumentType, RegisterCounter
from egov.documents.models.workfiles import RetentionPeriod, WorkFile, WorkFileItem

__all__ = [
    "Assignment", "AssignmentRole", "AssignmentStatus", "Channel", "Delivery", "DeliveryEvent", "DeliveryStatus",
    "Direction", "DocumentEvent", "DocumentFile", "DocumentRegister", "DocumentType", "FileKind",
    "IncomingDocument", "IncomingStatus", "IntakeStep", "IntakeStepName", "IntakeStepStatus", "OutgoingDocument",
    "OutgoingStatus", "RegisterCounter", "RegisterKind", "RetentionPeriod", "Secrecy", "SigningCredential", "Urgency",
    "WorkFile", "WorkFileItem", "WorkFileStatus",
]
