"""Domain errors: every rule violation is a DomainError with a stable code and a Vietnamese message.

The API turns it into ``{"code": ..., "message": ...}`` with a 4xx status; pages show it as a form error.
"""


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: str, *, status: int | None = None, details: object = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        if status is not None:
            self.status = status

    def as_dict(self) -> dict:
        payload = {"code": self.code, "message": self.message}
        if self.details is not None:
            payload["details"] = self.details
        return payload


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "Không tìm thấy đối tượng yêu cầu.", code: str = "not_found"):
        super().__init__(code, message)


class PermissionDeniedError(DomainError):
    status = 403

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này.", code: str = "forbidden"):
        super().__init__(code, message)
