"""The one API of the platform, /api/v1: every app adds its router here."""

from ninja import NinjaAPI
from ninja.security import django_auth

from egov.core.api import install_error_handlers

api = NinjaAPI(
    title="API Chính quyền số tỉnh Cà Mau",
    version="1",
    description=(
        "API dùng chung cho các hệ thống của tỉnh. Xác thực bằng phiên đăng nhập (trình duyệt) hoặc "
        "mã truy cập `Authorization: Bearer <token>` do quản trị cấp cho từng cơ quan. Lỗi trả về "
        '`{"code": ..., "message": ...}` với mã 4xx. Danh sách phân trang bằng `page` và `page_size`.'
    ),
    urls_namespace="api-v1",
    auth=[django_auth],
)
install_error_handlers(api)


def _add_routers() -> None:
    from egov.workdays.api import router as workdays_router

    api.add_router("/workdays/", workdays_router)

    from egov.directory.api import router as directory_router

    api.add_router("/directory/", directory_router)

    from egov.onestop.api import router as onestop_router

    api.add_router("/onestop/", onestop_router)

    from egov.eservices.api import router as public_router

    api.add_router("/public/", public_router)


_add_routers()
