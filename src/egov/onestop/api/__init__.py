"""The one-stop API under /api/v1/onestop/: each area adds its router below."""

from ninja import Router

router = Router(tags=["Một cửa"])


def _add_routers() -> None:
    # Each area of the one-stop app registers its own router here (one line each).
    from egov.onestop.api.reception import router as reception_router

    router.add_router("", reception_router)
    from egov.onestop.api.catalogue import router as catalogue_router

    router.add_router("", catalogue_router)
    from egov.onestop.api.processing import router as processing_router

    router.add_router("", processing_router)
    from egov.onestop.api.stats import router as stats_router

    router.add_router("", stats_router)


_add_routers()
