"""Page "Chữ ký số" of a document file: each PAdES signature with signer, CA, time and the checks.

Thin: visibility and verification live in ``services.signatures``; an unknown or hidden file is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from egov.core.errors import NotFound
from egov.documents.services import signatures


def _document_url(file) -> str:
    """Link back to the document's page, when that area has one."""
    name, document = (("documents:incoming_detail", file.incoming) if file.incoming_id
                      else ("documents:outgoing_detail", file.outgoing) if file.outgoing_id else ("", None))
    if document is None:
        return ""
    try:
        return reverse(name, kwargs={"uuid": document.uuid})
    except NoReverseMatch:
        return ""


@login_required
@require_GET
def file_signatures(request, file_uuid):
    try:
        file = signatures.file_for_signatures(user=request.user, file_uuid=file_uuid)
    except NotFound as error:
        raise Http404(error.message) from None
    is_pdf = signatures.is_pdf_file(file)
    infos = signatures.file_signatures(file=file) if is_pdf else []
    document = file.incoming or file.outgoing
    return render(request, "documents/signature/file.html", {
        "file": file, "document": document, "document_url": _document_url(file), "is_pdf": is_pdf, "infos": infos,
        "errors": [i for i in infos if i.error and not i.signer],
        "signatures": [i for i in infos if i.signer],
    })
