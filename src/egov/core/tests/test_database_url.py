"""DATABASE_URL with several PostgreSQL hosts (primary + standby): parsed into libpq's host/port lists, and a real
connection finds the server that answers."""

import os

import psycopg
import pytest

from egov.conf.database import database_settings

PG = "127.0.0.1:5432"


def test_single_host_urls_are_parsed_as_before():
    config = database_settings("postgres://egov:secret@db1:5433/egov", conn_max_age=60)
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("db1", 5433, "egov", "egov")
    assert "target_session_attrs" not in config.get("OPTIONS", {})


@pytest.mark.parametrize(("url", "host", "port"), [
    ("postgres://egov:s%40cret@db1:5432,db2:5433/egov", "db1,db2", "5432,5433"),
    ("postgres://egov@db1,db2:5432/egov", "db1,db2", "5432,5432"),
    ("postgres://egov@db1,db2/egov", "db1,db2", ""),
    ("postgres://egov@[::1]:5432,db2:5432/egov", "::1,db2", "5432,5432"),
])
def test_several_hosts_become_libpq_lists_and_ask_for_the_primary(url, host, port):
    config = database_settings(url, conn_max_age=60)
    assert (config["HOST"], config["PORT"], config["NAME"]) == (host, port, "egov")
    assert config["OPTIONS"]["target_session_attrs"] == "read-write"
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True


def test_the_url_may_choose_another_session_target():
    config = database_settings("postgres://egov@db1:5432,db2:5432/egov?target_session_attrs=any", conn_max_age=0)
    assert config["OPTIONS"]["target_session_attrs"] == "any"


def test_a_host_list_with_a_hole_is_refused():
    with pytest.raises(ValueError, match="thiếu tên máy chủ"):
        database_settings("postgres://egov@db1:5432,,db2/egov", conn_max_age=0)


def _postgres_reachable() -> bool:
    try:
        psycopg.connect(f"postgresql://postgres@{PG}/postgres", connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def test_a_real_connection_skips_a_host_that_refuses():
    """127.0.0.2 has no server (PostgreSQL listens on 127.0.0.1 only); libpq moves on to the next host."""
    if not _postgres_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL must be reachable in CI")
        pytest.skip("PostgreSQL not running")
    config = database_settings(f"postgres://postgres@127.0.0.2:5432,{PG}/postgres", conn_max_age=0)
    with psycopg.connect(host=config["HOST"], port=config["PORT"], user=config["USER"], dbname=config["NAME"],
                         connect_timeout=3, **config["OPTIONS"]) as connection:
        assert connection.info.host == "127.0.0.1"
        assert connection.execute("select pg_is_in_recovery()").fetchone() == (False,)
