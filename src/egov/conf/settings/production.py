"""Production settings: refuse to start without a real secret and host list; HTTPS everywhere."""

import os

from egov.conf.env import ConfigurationError, env_bool, env_int
from egov.conf.settings.base import *  # noqa: F403

if not os.environ.get("SECRET_KEY") or len(os.environ["SECRET_KEY"]) < 50:
    raise ConfigurationError("SECRET_KEY phải được đặt: một chuỗi ngẫu nhiên dài ít nhất 50 ký tự")
if not os.environ.get("ALLOWED_HOSTS"):
    raise ConfigurationError("ALLOWED_HOSTS phải liệt kê các tên miền mà hệ thống phục vụ (cách nhau bởi dấu phẩy)")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
