"""Public side of the one-stop shop: online submission (/dich-vu-cong/) and the dossier lookup (/tra-cuu/)."""

from django.urls import path

from egov.eservices import oidc
from egov.eservices.views import accounts, citizen

app_name = "eservices"

urlpatterns = [
    path("", citizen.home, name="home"),
    path("thu-tuc/<str:code>/", citizen.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/nop-ho-so/", citizen.submit, name="submit"),
    path("ho-so/", citizen.dossier_list, name="dossiers"),
    path("ho-so/<uuid:dossier_uuid>/", citizen.dossier_detail, name="dossier"),
    path("ho-so/<uuid:dossier_uuid>/bo-sung/", citizen.dossier_supplement, name="supplement"),
    path("ho-so/<uuid:dossier_uuid>/rut-ho-so/", citizen.dossier_withdraw_view, name="withdraw"),
    path("ho-so/<uuid:dossier_uuid>/danh-gia/", citizen.dossier_rate, name="rate"),
    path("ho-so/<uuid:dossier_uuid>/tep/<uuid:file_uuid>/", citizen.file_download, name="file"),
    path("tai-khoan/dang-ky/", accounts.register, name="register"),
    path("tai-khoan/dang-nhap/", accounts.CitizenLoginView.as_view(), name="login"),
    path("tai-khoan/dang-xuat/", accounts.logout_view, name="logout"),
    path("tai-khoan/vneid/", oidc.CitizenOIDCLoginView.as_view(), name="oidc_login"),
    path("tai-khoan/vneid/callback/", oidc.CitizenOIDCCallbackView.as_view(), name="oidc_callback"),
]
