"""Which file storage the instance uses: the local folder by default, an S3-compatible store when configured.

Kept apart from the settings module so that the rule (and its one-line errors) can be read and tested alone.
"""

from urllib.parse import parse_qs, unquote, urlsplit

from egov.conf.env import ConfigurationError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _parse_storage_url(url: str) -> dict:
    """``s3://key:secret@host:port/bucket/prefix?region=..&ssl=false`` or ``s3://bucket`` (AWS, keys elsewhere)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ConfigurationError("STORAGE_URL không đọc được (dạng s3://khóa:bí-mật@máy-chủ:9000/tên-bucket)") from None
    if parts.scheme != "s3":
        raise ConfigurationError("STORAGE_URL phải bắt đầu bằng s3:// (kho tệp tương thích S3)")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    ssl = query.get("ssl", "true").lower()
    if ssl not in _TRUE | _FALSE:
        raise ConfigurationError(f"STORAGE_URL: ssl phải là true hoặc false, nhận được {ssl!r}")
    segments = [s for s in parts.path.split("/") if s]
    found: dict = {"region": query.get("region")}
    if parts.username:
        found["access_key"] = unquote(parts.username)
    if parts.password:
        found["secret_key"] = unquote(parts.password)
    if segments:  # host is the endpoint, the path names the bucket (and an optional prefix)
        scheme = "https" if ssl in _TRUE else "http"
        found["endpoint"] = f"{scheme}://{parts.hostname}" + (f":{port}" if port else "")
        found["bucket"] = segments[0]
        found["location"] = "/".join(segments[1:]) or None
    else:  # s3://bucket: Amazon S3 itself
        found["bucket"] = parts.hostname
    return found


def s3_storage_options(*, url: str | None, bucket: str | None, endpoint: str | None, access_key: str | None,
                       secret_key: str | None, region: str | None, location: str | None) -> dict | None:
    """OPTIONS for ``storages.backends.s3.S3Storage``, or None when no object store is configured.

    STORAGE_URL gives everything in one variable; the AWS_* variables fill or override single parts."""
    if not (url or bucket or endpoint):
        return None
    found = _parse_storage_url(url) if url else {}
    bucket = bucket or found.get("bucket")
    if not bucket:
        raise ConfigurationError("Kho tệp S3: thiếu tên bucket (AWS_STORAGE_BUCKET_NAME hoặc STORAGE_URL)")
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or found.get("endpoint"),
        "access_key": access_key or found.get("access_key"),
        "secret_key": secret_key or found.get("secret_key"),
        "region_name": region or found.get("region"),
        "location": (location or found.get("location") or "").strip("/"),
        # Private objects (the bucket's default ACL), reached only through short-lived signed URLs; an upload
        # never replaces another file.
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    return {k: v for k, v in options.items() if v is not None}
