"""Register numbers: arrival numbers of incoming registers, issue numbers of outgoing registers."""

from egov.core.counters import locked_counter_next
from egov.documents.models import RegisterCounter


def register_number_next(*, register, year: int) -> int:
    """The next number of ``register`` for ``year`` (from 1 each year), never repeated under concurrency.
    Must be called inside the transaction that stores the number."""
    return locked_counter_next(RegisterCounter, register=register, year=year)
