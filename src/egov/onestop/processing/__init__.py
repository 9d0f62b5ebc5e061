"""Processing of a received dossier (NĐ 61/2018 Art. 19; SPEC §1.4, §1.7, §1.10).

A dossier moves through the ProcessSteps of the version it was received under. Each step becomes a
DossierStep (a work item with agency, unit, handler, start, deadline, finish and timing); consultations of
other agencies are extra DossierSteps. Every move goes through ``workflow.dossier_transition`` (or
``dossier_event_append`` plus an audit entry for side events), so the history stays append-only and the
statistics current. Every deadline comes from the workdays service.

Each service takes an optional ``at`` (the moment of the action) so that tests replay a lifecycle at
chosen times without sleeping; pages and the API leave it to now.

``rules``: who may act and the step mechanics; ``services``: the status changes; ``results``: result PDFs;
``actions``: what a user may do now, and the dispatcher pages and the API share.
"""

from egov.onestop.processing.actions import (
    ACTION_LABELS,
    available_actions,
    dossier_action_run,
    dossier_is_rated,
    open_consultations_for,
    parse_days,
    parse_new_due,
)
from egov.onestop.processing.results import dossier_attach_result, pdf_signature_info, result_signatures
from egov.onestop.processing.rules import (
    APOLOGY_MIN_DAYS,
    RESTART_WINDOW_DAYS,
    can_act_on_step,
    can_manage_deadline,
    consultation_templates,
    is_leader_of,
    is_onestop_officer_of,
    step_agency,
    step_deadline,
    step_unit,
)
from egov.onestop.processing.services import (
    dossier_apologize,
    dossier_approve,
    dossier_assign,
    dossier_consult,
    dossier_consult_reply,
    dossier_late_step,
    dossier_payment_received,
    dossier_reject,
    dossier_request_payment,
    dossier_request_supplement,
    dossier_send_back,
    dossier_start_processing,
    dossier_step_complete,
    dossier_stop,
    dossier_supplement_received,
    dossier_withdraw,
    restart_window_end,
)

__all__ = [
    "ACTION_LABELS", "APOLOGY_MIN_DAYS", "RESTART_WINDOW_DAYS", "available_actions", "can_act_on_step",
    "can_manage_deadline", "consultation_templates", "dossier_action_run", "dossier_apologize", "dossier_approve",
    "dossier_assign", "dossier_attach_result", "dossier_consult", "dossier_consult_reply", "dossier_is_rated",
    "dossier_late_step", "dossier_payment_received", "dossier_reject", "dossier_request_payment",
    "dossier_request_supplement", "dossier_send_back", "dossier_start_processing", "dossier_step_complete",
    "dossier_stop", "dossier_supplement_received", "dossier_withdraw", "is_leader_of", "is_onestop_officer_of",
    "open_consultations_for", "parse_days", "parse_new_due", "pdf_signature_info", "restart_window_end",
    "result_signatures", "step_agency", "step_deadline", "step_unit",
]
