"""The public lookup page (/tra-cuu/, the target of the QR code on Form 01) and its kiosk mode."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from egov.core.errors import DomainError
from egov.eservices.lookup import dossier_public_lookup, dossier_public_timeline, normalize_code, parse_iso
from egov.eservices.ratelimit import TooManyLookups, lookup_rate_check


def _lookup(request, template: str, extra: dict):
    raw = request.GET.get("ma")
    context = {"code": normalize_code(raw), **extra}
    status = 200
    if raw is not None:
        try:
            lookup_rate_check(request)
            answer, _ = dossier_public_lookup(code=raw)
        except TooManyLookups as exc:
            response = render(request, template, {**context, "error": exc.message}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except DomainError as exc:
            context["error"] = exc.message
            status = exc.status
        else:
            context["result"] = {
                **answer, "received_at": parse_iso(answer["received_at"]), "due_at": parse_iso(answer["due_at"]),
            }
            context["timeline"] = dossier_public_timeline(code=answer["code"])
    return render(request, template, context, status=status)


@never_cache
def lookup_page(request):
    return _lookup(request, "eservices/lookup/index.html", {})


@never_cache
def kiosk_page(request):
    return _lookup(request, "eservices/lookup/kiosk.html", {"kiosk": True})
