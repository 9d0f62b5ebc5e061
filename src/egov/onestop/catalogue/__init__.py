"""The procedure catalogue: validation of a procedure's rules, the services that change them, and reads.

Versioning rule (issue 4, point 1): a dossier keeps the version it was received under, so a version that a
dossier refers to is never edited; changing its rules makes a new version and closes the previous one
(``valid_to``). A version nobody used yet may be corrected in place.

A version's rules travel as a plain dict, the same shape as the JSON export (see ``catalogue_io``):
``implementing_agency``, ``processing_days`` | ``processing_hours``, ``count_receipt_day``, ``online_mode``,
``online_result``, ``consultation_allowed``, ``fees``, ``result_documents``, ``legal_basis``,
``form_schema``, ``notes``, ``papers`` and ``steps``. Every writer (API, import, admin, demo loader) passes
through ``version_rules_validate`` so a rule lives in one place.
"""

from egov.onestop.catalogue.rules import (
    FEE_MODES,
    FORM_FIELD_TYPES,
    LEVEL_LABELS,
    ONLINE_MODE_LABELS,
    PAPER_KEYS,
    PAPER_KINDS,
    RULE_KEYS,
    STEP_KEYS,
    STEP_ROLES,
    CatalogueInvalid,
    agency_kinds,
    clean_fee,
    clean_field,
    clean_paper,
    clean_procedure_head,
    clean_result,
    clean_rules_head,
    clean_step,
    duration_text,
    fee_text,
    form_schema_errors,
    number_out,
    parse_bool,
    parse_choice,
    parse_date,
    parse_days,
    parse_int,
    rules_cross_errors,
    version_rules_validate,
)
from egov.onestop.catalogue.selectors import (
    local_today,
    procedure_by_code,
    procedure_current_version,
    procedure_payload,
    procedures_public,
    procedures_search,
    rules_payload,
    version_has_dossiers,
    version_payload,
)
from egov.onestop.catalogue.services import (
    field_upsert,
    procedure_create,
    procedure_deactivate,
    procedure_rules_save,
    procedure_update,
    procedure_version_create,
    procedure_version_update,
    require_manager,
)

__all__ = [
    "FEE_MODES", "FORM_FIELD_TYPES", "LEVEL_LABELS", "ONLINE_MODE_LABELS", "PAPER_KEYS", "PAPER_KINDS", "RULE_KEYS",
    "STEP_KEYS", "STEP_ROLES", "CatalogueInvalid", "agency_kinds", "clean_fee", "clean_field", "clean_paper",
    "clean_procedure_head", "clean_result", "clean_rules_head", "clean_step", "duration_text", "fee_text",
    "field_upsert", "form_schema_errors", "local_today", "number_out", "parse_bool", "parse_choice", "parse_date",
    "parse_days", "parse_int", "procedure_by_code", "procedure_create", "procedure_current_version",
    "procedure_deactivate", "procedure_payload", "procedure_rules_save", "procedure_update",
    "procedure_version_create", "procedure_version_update", "procedures_public", "procedures_search",
    "require_manager", "rules_cross_errors", "rules_payload", "version_has_dossiers", "version_payload",
    "version_rules_validate",
]
