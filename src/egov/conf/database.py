"""``DATABASE_URL`` to Django's database settings, including PostgreSQL multi-host URLs.

A primary with a standby at the DR site is reached by a libpq multi-host URL such as
``postgres://egov:secret@db1:5432,db2:5432/egov`` (DESIGN.md, "Scaling out"). ``dj_database_url`` parses one host
only (a port per host raises ParseError), so the host list is taken out first, the rest parsed as usual, and the
hosts and ports handed to psycopg as libpq's comma-separated ``host`` and ``port``. With several hosts the
connection asks for a writable server (``target_session_attrs=read-write``) unless the URL says otherwise, so a
promoted standby is found after a failover without changing the configuration.
"""

from urllib.parse import urlsplit, urlunsplit

import dj_database_url


def _split_hosts(netloc: str) -> tuple[str, list[tuple[str, str]]]:
    userinfo, _, hostlist = netloc.rpartition("@")
    hosts = []
    for item in hostlist.split(","):
        if item.startswith("["):  # IPv6 literal, [::1]:5432
            host, _, rest = item[1:].partition("]")
            port = rest[1:] if rest.startswith(":") else ""
        else:
            host, _, port = item.partition(":")
        if not host:
            raise ValueError(f"thiếu tên máy chủ trong danh sách “{hostlist}”")
        hosts.append((host, port))
    return userinfo, hosts


def database_settings(url: str, *, conn_max_age: int, conn_health_checks: bool = True) -> dict:
    """Django's ``DATABASES["default"]`` for ``url``; raises ValueError (or dj_database_url's errors) if bad."""
    parts = urlsplit(url)
    if "," not in parts.netloc:
        return dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=conn_health_checks)
    userinfo, hosts = _split_hosts(parts.netloc)
    first_host = hosts[0][0] if ":" not in hosts[0][0] else f"[{hosts[0][0]}]"
    single = urlunsplit(parts._replace(netloc=f"{userinfo}@{first_host}" if userinfo else first_host))
    config = dj_database_url.parse(single, conn_max_age=conn_max_age, conn_health_checks=conn_health_checks)
    ports = [port for _, port in hosts]
    if any(ports) and not all(ports):
        ports = [port or "5432" for port in ports]
    config["HOST"] = ",".join(host for host, _ in hosts)
    config["PORT"] = ",".join(ports) if any(ports) else ""
    config.setdefault("OPTIONS", {}).setdefault("target_session_attrs", "read-write")
    return config
