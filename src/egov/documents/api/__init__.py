"""The document API under /api/v1/documents/: each area adds its router below (one line each)."""

from ninja import Router

router = Router(tags=["Văn bản"])


def _add_routers() -> None:
    from egov.documents.api import incoming, intake, outgoing, reports, search, signatures, workfiles

    for module in (incoming, outgoing, intake, signatures, workfiles, reports, search):
        router.add_router("", module.router)


_add_routers()
