from django.conf import settings


def platform(request):
    return {"PROVINCE_NAME": settings.EGOV_PROVINCE_NAME}
