"""Dossier statuses (SPEC §1.7): internal states, their national DVCQG codes 1–10, and the legal moves."""

from django.db import models


class DossierStatus(models.TextChoices):
    SUBMITTED = "submitted", "Mới đăng ký"                      # online, waiting for reception (1)
    RECEPTION_SUPPLEMENT = "reception_supplement", "Yêu cầu bổ sung khi tiếp nhận"  # (5)
    REFUSED = "refused", "Không được tiếp nhận"                 # (3)
    RECEIVED = "received", "Đã tiếp nhận"                       # (2)
    PROCESSING = "processing", "Đang xử lý"                     # (4)
    CONSULTING = "consulting", "Chờ ý kiến phối hợp"            # (4)
    SUPPLEMENT = "supplement", "Yêu cầu bổ sung giấy tờ"        # (5)
    AWAITING_PAYMENT = "awaiting_payment", "Chờ thực hiện nghĩa vụ tài chính"  # (6)
    WITHDRAWN = "withdrawn", "Công dân rút hồ sơ"               # (7)
    STOPPED = "stopped", "Dừng xử lý"                           # (8)
    REJECTED = "rejected", "Từ chối giải quyết"                 # (8, result is a refusal)
    DONE = "done", "Đã xử lý xong"                              # (9)
    RETURNED = "returned", "Đã trả kết quả"                     # (10)


NATIONAL_CODE = {
    DossierStatus.SUBMITTED: 1,
    DossierStatus.RECEPTION_SUPPLEMENT: 5,
    DossierStatus.REFUSED: 3,
    DossierStatus.RECEIVED: 2,
    DossierStatus.PROCESSING: 4,
    DossierStatus.CONSULTING: 4,
    DossierStatus.SUPPLEMENT: 5,
    DossierStatus.AWAITING_PAYMENT: 6,
    DossierStatus.WITHDRAWN: 7,
    DossierStatus.STOPPED: 8,
    DossierStatus.REJECTED: 8,
    DossierStatus.DONE: 9,
    DossierStatus.RETURNED: 10,
}

# Statuses during which the processing clock is paused (the applicant or a payment is awaited).
PAUSED = frozenset({DossierStatus.SUPPLEMENT, DossierStatus.AWAITING_PAYMENT, DossierStatus.RECEPTION_SUPPLEMENT})
# Statuses after which nothing more happens to the dossier (except RETURNED after DONE/REJECTED).
CLOSED = frozenset({DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.RETURNED})
# Open statuses counted as "in progress" by statistics.
IN_PROGRESS = frozenset({DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.CONSULTING,
                         DossierStatus.SUPPLEMENT, DossierStatus.AWAITING_PAYMENT})
# Received and not yet handed back: the officers' working set (in progress, or a result waiting to be returned).
UNRETURNED = IN_PROGRESS | {DossierStatus.DONE, DossierStatus.REJECTED}

_OPEN = {DossierStatus.SUBMITTED, DossierStatus.RECEPTION_SUPPLEMENT, DossierStatus.RECEIVED,
         DossierStatus.PROCESSING, DossierStatus.CONSULTING, DossierStatus.SUPPLEMENT,
         DossierStatus.AWAITING_PAYMENT}

TRANSITIONS: dict[DossierStatus, frozenset[DossierStatus]] = {
    DossierStatus.SUBMITTED: frozenset({DossierStatus.RECEIVED, DossierStatus.REFUSED,
                                        DossierStatus.RECEPTION_SUPPLEMENT, DossierStatus.WITHDRAWN}),
    DossierStatus.RECEPTION_SUPPLEMENT: frozenset({DossierStatus.SUBMITTED, DossierStatus.RECEIVED,
                                                   DossierStatus.REFUSED, DossierStatus.WITHDRAWN}),
    DossierStatus.RECEIVED: frozenset({DossierStatus.PROCESSING, DossierStatus.WITHDRAWN, DossierStatus.STOPPED,
                                       DossierStatus.DONE}),
    DossierStatus.PROCESSING: frozenset({DossierStatus.CONSULTING, DossierStatus.SUPPLEMENT,
                                         DossierStatus.AWAITING_PAYMENT, DossierStatus.DONE, DossierStatus.REJECTED,
                                         DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.PROCESSING}),
    DossierStatus.CONSULTING: frozenset({DossierStatus.PROCESSING, DossierStatus.WITHDRAWN, DossierStatus.STOPPED}),
    DossierStatus.SUPPLEMENT: frozenset({DossierStatus.PROCESSING, DossierStatus.WITHDRAWN, DossierStatus.STOPPED}),
    DossierStatus.AWAITING_PAYMENT: frozenset({DossierStatus.PROCESSING, DossierStatus.WITHDRAWN,
                                               DossierStatus.STOPPED}),
    DossierStatus.DONE: frozenset({DossierStatus.RETURNED}),
    DossierStatus.REJECTED: frozenset({DossierStatus.RETURNED}),
    DossierStatus.REFUSED: frozenset(),
    DossierStatus.WITHDRAWN: frozenset(),
    DossierStatus.STOPPED: frozenset(),
    DossierStatus.RETURNED: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    return DossierStatus(target) in TRANSITIONS[DossierStatus(current)]
