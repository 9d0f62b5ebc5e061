"""Base settings shared by every mode. All values come from the environment (see .env.example)."""

from pathlib import Path

from egov.conf.database import database_settings
from egov.conf.env import ConfigurationError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[4]  # repository root
PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/egov

# Everything the instance writes lives under EGOV_DATA_DIR, so two instances never share state.
DATA_DIR = Path(env_str("EGOV_DATA_DIR", str(BASE_DIR / "var"))).expanduser().resolve()
try:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
except OSError as exc:
    raise ConfigurationError(f"EGOV_DATA_DIR: không tạo được thư mục dữ liệu {DATA_DIR} ({exc.strerror})") from None

SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-secret-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # project apps first so their templates override third-party ones
    "egov.core",
    "egov.accounts",
    "egov.directory",
    "egov.workdays",
    "egov.apiclients",
    "egov.documents",
    "egov.search",
    "egov.onestop",
    "egov.eservices",
    "egov.portal",
    "egov.notify",
    "egov.feedback",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # third party
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "egov.core.middleware.RequestContextMiddleware",
    "egov.core.logging.AccessLogMiddleware",
    "egov.eservices.middleware.PublicLookupEarlyMiddleware",  # GET /api/v1/public/dossiers/<code>, before the rest
    "egov.portal.middleware.PortalEarlyCacheMiddleware",  # anonymous portal pages from the cache, before the rest
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov.accounts.middleware.SiteLanguageMiddleware",  # Vietnamese unless the user switches
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "egov.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "egov.core.csp.AdminScriptHashesMiddleware",  # /cms/: hashes of Wagtail's own inline initialisers
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "egov.core.context_processors.platform",
            ],
        },
    },
]

# --- Database: embedded SQLite by default, PostgreSQL through DATABASE_URL -------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        _db = database_settings(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except Exception as exc:  # dj_database_url raises several types for bad URLs
        raise ConfigurationError(
            "DATABASE_URL không phải địa chỉ cơ sở dữ liệu hợp lệ "
            f"(dạng postgres://người-dùng:mật-khẩu@máy-chủ:5432/tên-csdl): {exc}"
        ) from None
    _db.setdefault("OPTIONS", {})
    _db.setdefault("TEST", {})
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "egov.sqlite3",
            # WAL and a busy timeout let the web process and the task worker write side by side.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background work: in-process / database by default, Redis when REDIS_URL is set -----
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ConfigurationError("REDIS_URL phải bắt đầu bằng redis://, rediss:// hoặc unix://")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Files ---------------------------------------------------------------------------------------
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files in an S3-compatible object store (several app servers, no shared folder) when STORAGE_URL or
# AWS_STORAGE_BUCKET_NAME / AWS_S3_ENDPOINT_URL is set: s3://key:secret@host:port/bucket/prefix?region=..&ssl=..
from egov.conf.storage import s3_storage_options  # noqa: E402

_s3 = s3_storage_options(
    url=env_str("STORAGE_URL"), bucket=env_str("AWS_STORAGE_BUCKET_NAME"), endpoint=env_str("AWS_S3_ENDPOINT_URL"),
    access_key=env_str("AWS_ACCESS_KEY_ID"), secret_key=env_str("AWS_SECRET_ACCESS_KEY"),
    region=env_str("AWS_S3_REGION_NAME"), location=env_str("AWS_LOCATION"),
)
if _s3 is not None:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- Accounts and security -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Lockout after repeated failures (django-axes), counted per account name.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "egov.accounts.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "egov.core.middleware.client_ip"  # same address as the audit log
AXES_VERBOSE = False

OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Chinh quyen so Ca Mau")
# Roles that must use two-factor login (TOTP).
EGOV_2FA_REQUIRED_ROLES = env_list("EGOV_2FA_REQUIRED_ROLES", ["system_admin", "agency_admin"])

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy, take the client address (audit log, lockout) from X-Forwarded-For's first hop.
EGOV_TRUST_X_FORWARDED_FOR = env_bool("EGOV_TRUST_X_FORWARDED_FOR", False)

# Content-Security-Policy: no inline scripts anywhere (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Language and time -----------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]
FORMAT_MODULE_PATH = ["egov.conf.formats"]

# --- Wagtail ---------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Cổng thông tin điện tử tỉnh Cà Mau"
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# No avatars from gravatar.com: an outside request that leaks editors' e-mail hashes, and blocked by the CSP.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Logging: structured JSON lines (structlog) ----------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
from egov.core.logging import configure_logging  # noqa: E402

LOGGING_CONFIG = None
configure_logging(LOG_LEVEL)

# --- Platform --------------------------------------------------------------------------------------
EGOV_PROVINCE_NAME = env_str("EGOV_PROVINCE_NAME", "Tỉnh Cà Mau")
EGOV_SHARED_DATA_DIR = Path(env_str("EGOV_SHARED_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))
EGOV_API_PAGE_SIZE = 50
EGOV_API_MAX_PAGE_SIZE = 500

# --- One-stop shop ---------------------------------------------------------------------------------
# Public address of the site, printed in the QR code of the receipt (Form 01) for the dossier lookup.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Dossier code generator (SPEC §1.9): egov.onestop.codes.Qcvn102CodeStrategy or ...Qd20CodeStrategy.
ONESTOP_DOSSIER_CODE_STRATEGY = env_str("ONESTOP_DOSSIER_CODE_STRATEGY", "egov.onestop.codes.Qcvn102CodeStrategy")
ONESTOP_MAX_UPLOAD_MB = env_int("ONESTOP_MAX_UPLOAD_MB", 20)

# --- Documents: digital signatures -----------------------------------------------------------------
# Trusted root CAs (PEM files) for verifying PAdES signatures, e.g. the VGCA roots; the demo CA made by
# `manage.py documents_demo_pki` (DATA_DIR/pki/) is trusted in addition.
DOCUMENTS_TRUST_ROOTS = env_list("EGOV_TRUST_ROOTS", [])

# --- Documents: intake of uploaded files (egov.documents.services.intake) --------------------------
DOCUMENTS_MAX_UPLOAD_MB = env_int("DOCUMENTS_MAX_UPLOAD_MB", 50)
# Seconds Tesseract may spend on one page; a step still "running" after this many minutes was interrupted.
DOCUMENTS_OCR_TIMEOUT = env_int("DOCUMENTS_OCR_TIMEOUT", 180)
DOCUMENTS_INTAKE_STALE_MINUTES = env_int("DOCUMENTS_INTAKE_STALE_MINUTES", 30)
