"""Outgoing documents, drafting, approval, signing, issue and delivery: who sees and does what.

The review rule, kept simple and explicit (NĐ 30/2020 Art. 10–12: the unit head answers for the content,
the signer approves the draft):

- a reviewer is an active official of the same agency, other than the drafter, and either
  (a) has the role LEADER (lãnh đạo cơ quan), or
  (b) works in the drafting unit and holds a position of higher rank than the drafter's (``Position.rank``:
      smaller is higher; an official without a position has no rank and cannot be a unit reviewer);
- the signer is a LEADER of the agency;
- the clerk (CLERK) of the agency issues, and recalls with a leader;
- the recipient agency's clerk accepts or rejects a delivery.

Visibility: drafts (anything before issue) are seen by the drafter, the reviewers in the chain (current or
past), the chosen signer, and the clerks and leaders of the agency; an issued, recalled or replaced document
is seen by every official of the agency, except one with a secrecy mark, which stays with the people of its
chain, the clerks and the leaders. Recipients never see the outgoing document, only their incoming copy.
"""

from django.db.models import Q, QuerySet

from egov.accounts.roles import Role
from egov.core.policies import is_authenticated
from egov.directory.models import Official
from egov.documents.models import Delivery, OutgoingDocument, OutgoingStatus

__all__ = [
    "PUBLISHED_STATUSES", "can_accept_delivery", "can_draft_outgoing", "can_issue_outgoing",
    "can_recall_outgoing", "can_review_outgoing", "can_sign_outgoing", "deliveries_received_visible_to",
    "official_of", "outgoing_can_view", "outgoing_visible_to", "may_be_reviewer", "may_be_signer",
]

PUBLISHED_STATUSES = (OutgoingStatus.ISSUED, OutgoingStatus.RECALLED, OutgoingStatus.REPLACED)


def official_of(user) -> Official | None:
    """The active official record of ``user`` (cached on the user object for one request)."""
    if not is_authenticated(user):
        return None
    cached = getattr(user, "_outgoing_official", False)
    if cached is not False:
        return cached
    official = (Official.objects.select_related("agency", "unit", "position")
                .filter(user_id=user.pk, is_active=True).first())
    user._outgoing_official = official
    return official


def _is_system_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", None) == Role.SYSTEM_ADMIN)


def _role_in(user, agency_id: int, *roles) -> bool:
    official = official_of(user)
    return bool(official and official.agency_id == agency_id and user.role in roles)


def outgoing_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """The outgoing documents ``user`` may see (see the module docstring)."""
    qs = queryset if queryset is not None else OutgoingDocument.objects.all()
    if not is_authenticated(user):
        return qs.none()
    if _is_system_admin(user):
        return qs
    official = official_of(user)
    if official is None:
        return qs.none()
    own = Q(agency_id=official.agency_id)
    if user.role in (Role.CLERK, Role.LEADER):
        return qs.filter(own)
    personal = (Q(drafted_by_id=user.pk) | Q(current_reviewer_id=user.pk) | Q(signer_id=user.pk)
                | Q(events__actor_id=user.pk))
    published = Q(status__in=PUBLISHED_STATUSES, secrecy=0)
    return qs.filter(own & (published | personal)).distinct()


def outgoing_can_view(user, document: OutgoingDocument) -> bool:
    return outgoing_visible_to(user, OutgoingDocument.objects.filter(pk=document.pk)).exists()


def can_draft_outgoing(user) -> bool:
    """Any active official (not a citizen) of an agency may draft."""
    official = official_of(user)
    return bool(official and user.role != Role.CITIZEN)


def may_be_reviewer(candidate, document: OutgoingDocument) -> bool:
    """The review rule of the module docstring, for one candidate."""
    official = official_of(candidate)
    if official is None or official.agency_id != document.agency_id or not candidate.is_active:
        return False
    if candidate.pk == document.drafted_by_id:
        return False
    if candidate.role == Role.LEADER:
        return True
    drafter = official_of(document.drafted_by)
    if document.drafting_unit_id is None or official.unit_id != document.drafting_unit_id:
        return False
    if official.position is None:
        return False
    drafter_rank = drafter.position.rank if drafter and drafter.position else None
    return drafter_rank is None or official.position.rank < drafter_rank


def may_be_signer(candidate, document: OutgoingDocument) -> bool:
    return bool(candidate and candidate.is_active and _role_in(candidate, document.agency_id, Role.LEADER))


def can_review_outgoing(user, document: OutgoingDocument) -> bool:
    return (document.status == OutgoingStatus.IN_REVIEW and document.current_reviewer_id == user.pk
            and official_of(user) is not None)


def can_sign_outgoing(user, document: OutgoingDocument) -> bool:
    return document.status == OutgoingStatus.APPROVED and document.signer_id == user.pk and may_be_signer(
        user, document)


def can_issue_outgoing(user, document: OutgoingDocument) -> bool:
    return document.status == OutgoingStatus.SIGNED and _role_in(user, document.agency_id, Role.CLERK)


def can_recall_outgoing(user, document: OutgoingDocument) -> bool:
    return document.status == OutgoingStatus.ISSUED and _role_in(user, document.agency_id, Role.CLERK,
                                                                   Role.LEADER)


def deliveries_received_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Deliveries addressed to the user's agency (its clerks and leaders accept or reject them)."""
    qs = queryset if queryset is not None else Delivery.objects.all()
    official = official_of(user)
    if official is None:
        return qs.none()
    return qs.filter(recipient_agency_id=official.agency_id)


def can_accept_delivery(user, delivery: Delivery) -> bool:
    return _role_in(user, delivery.recipient_agency_id, Role.CLERK)
