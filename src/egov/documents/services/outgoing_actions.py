"""One dispatcher for the outgoing actions, shared by the pages and the API: picks people and registers
from the submitted fields and calls the service. Unknown action → DomainError 400."""

from egov.core.errors import DomainError
from egov.directory.models import Official
from egov.documents import selectors_outgoing as sel
from egov.documents.models import OutgoingStatus
from egov.documents.policies.outgoing import (
    can_issue_outgoing,
    can_recall_outgoing,
    can_review_outgoing,
    can_sign_outgoing,
)
from egov.documents.services import delivery as delivery_svc
from egov.documents.services import outgoing as svc

ACTIONS = ("upload", "submit", "approve", "return", "sign", "issue", "recall")


def user_pick(value, *, agency_id: int):
    """A user of the agency picked in a form or the API, by username or account UUID; None if not found."""
    text = str(value or "").strip()
    if not text:
        return None
    officials = Official.objects.select_related("user").filter(agency_id=agency_id, is_active=True)
    found = officials.filter(user__uuid=text).first() if sel._valid_uuid(text) else None
    found = found or officials.filter(user__username=text).first()
    return found.user if found else None


def available_actions(user, document) -> list[str]:
    actions = []
    if document.drafted_by_id == user.pk and document.status in (OutgoingStatus.DRAFT, OutgoingStatus.RETURNED):
        actions += ["upload", "submit"]
    if can_review_outgoing(user, document):
        actions += ["approve", "return"]
    if can_sign_outgoing(user, document):
        actions += ["sign", "return"]
    if can_issue_outgoing(user, document):
        actions.append("issue")
    if can_recall_outgoing(user, document):
        actions.append("recall")
    return actions


def outgoing_action_run(*, user, document, action: str, fields: dict, upload=None):
    """One action by name (pages and API share it); unknown action → DomainError 400."""
    pick = {"agency_id": document.agency_id}
    if action == "upload":
        if upload is None:
            raise DomainError("file_missing", "Vui lòng chọn tệp dự thảo (PDF hoặc DOCX).")
        return svc.outgoing_version_upload(actor=user, document=document, upload=upload, note=fields.get("note", ""))
    if action == "submit":
        return svc.outgoing_submit(actor=user, document=document, reviewer=user_pick(fields.get("reviewer"),
                                                                                           **pick),
                                   note=fields.get("note", ""))
    if action == "approve":
        next_reviewer = user_pick(fields.get("next_reviewer"), **pick)
        signer = user_pick(fields.get("signer"), **pick)
        if fields.get("next_reviewer") and next_reviewer is None:
            raise DomainError("invalid_reviewer", "Không tìm thấy người duyệt tiếp theo trong cơ quan.")
        if fields.get("signer") and signer is None:
            raise DomainError("invalid_signer", "Không tìm thấy người ký trong cơ quan.")
        return svc.outgoing_approve(actor=user, document=document, next_reviewer=next_reviewer, signer=signer,
                                    note=fields.get("note", ""))
    if action == "return":
        return svc.outgoing_return(actor=user, document=document, comment=fields.get("comment", ""))
    if action == "sign":
        return svc.outgoing_sign(actor=user, document=document, reason=fields.get("reason", ""))
    if action == "issue":
        register = None
        if fields.get("register"):
            register = next((r for r in svc.issue_registers_for(document) if str(r.uuid) == fields["register"]),
                            None)
            if register is None:
                raise DomainError("invalid_register", "Sổ văn bản đã chọn không dùng được cho văn bản này.")
        return svc.outgoing_issue(actor=user, document=document, register=register)
    if action == "recall":
        return delivery_svc.outgoing_recall(actor=user, document=document, reason=fields.get("reason", ""))
    raise DomainError("unknown_action", f"Thao tác “{action[:30]}” không tồn tại.")
