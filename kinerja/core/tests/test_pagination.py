"""The capped paginator, ANALYZE, and the database settings the served pages rely on."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from kinerja.core.db import analyze
from kinerja.core.pagination import CappedPageNumberPagination, CappedPaginator, rows_of_page
from kinerja.organisations.models import Employee
from kinerja.organisations.tests.factories import EmployeeFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    unit = OrgUnitFactory()
    EmployeeFactory.create_batch(25, unit=unit)
    return Employee.objects.order_by("name", "pk")


def test_the_count_stops_at_the_cap_and_next_still_works(staff):
    paginator = CappedPaginator(staff, 5, cap=10)
    page = paginator.get_page(1)

    assert (paginator.count, paginator.capped, paginator.num_pages) == (10, True, 2)
    assert len(page.object_list) == 5
    assert page.has_next()


def test_a_page_of_keys_becomes_a_page_of_rows_in_the_same_order(staff):
    keys = staff.order_by("-name", "pk").values_list("pk", flat=True)
    paginator = CappedPaginator(keys, 5, cap=10)
    page = rows_of_page(paginator.get_page(2), Employee.objects.select_related("unit"))

    expected = list(Employee.objects.order_by("-name", "pk")[5:10])
    assert [e.pk for e in page.object_list] == [e.pk for e in expected]
    assert all(isinstance(e, Employee) and e.unit.name for e in page.object_list)
    assert (paginator.count, page.number, page.has_next()) == (15, 2, True)


def test_a_deeper_page_counts_one_page_past_itself(staff):
    paginator = CappedPaginator(staff, 5, cap=10)
    page = paginator.get_page(3)  # rows 11-15: counts up to 20

    assert (paginator.count, paginator.capped) == (20, True)
    assert [e.pk for e in page.object_list] == [e.pk for e in staff[10:15]]
    assert page.has_next() and page.has_previous()


def test_the_last_page_gets_the_exact_count(staff):
    paginator = CappedPaginator(staff, 5, cap=10)
    page = paginator.get_page(5)  # rows 21-25: counts up to 30, finds 25

    assert (paginator.count, paginator.capped, paginator.num_pages) == (25, False, 5)
    assert not page.has_next()


def test_a_page_past_any_list_is_refused_not_counted_towards(staff, world, login):
    """The fuzz found a 500: page 576460752303423489 made an OFFSET past 64 bits."""
    from django.core.paginator import EmptyPage

    paginator = CappedPaginator(staff, 5, cap=10)
    with pytest.raises(EmptyPage):
        paginator.page(576460752303423489)
    assert (paginator.reach, paginator.count) == (10, 10)  # counted to the cap only

    client = login(world.users["bkd"])
    response = client.get("/api/v1/units/", {"page": "576460752303423489"})
    assert response.status_code == 404
    assert client.get("/org/employees/", {"page": "576460752303423489"}).status_code == 200


def test_below_the_cap_the_count_is_exact(staff):
    paginator = CappedPaginator(staff, 5, cap=100)
    paginator.get_page(1)

    assert (paginator.count, paginator.capped) == (25, False)


def test_the_employee_list_and_api_say_more_than_when_capped(world, login, settings, monkeypatch):
    # The fixture's instansi has 4 staff; one a page, counted up to 2: "more than 2".
    settings.KINERJA_LIST_COUNT_CAP = 2
    monkeypatch.setattr("kinerja.organisations.views.EMPLOYEES_PER_PAGE", 1)
    monkeypatch.setattr(CappedPageNumberPagination, "page_size", 1)
    client = login(world.users["bkd"])

    page = client.get("/org/employees/").content.decode()
    api = client.get("/api/v1/employees/").json()
    last = client.get("/api/v1/employees/?page=4").json()

    assert "Lebih dari 2 pegawai" in page
    assert "dari lebih dari 2" in page and "halaman 1<" in page
    assert (api["count"], api["count_capped"], len(api["results"])) == (2, True, 1)
    assert api["next"] and not api["previous"]
    assert (last["count"], last["count_capped"], last["next"]) == (4, False, None)


def test_analyze_gathers_statistics(staff):
    analyze([Employee])
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [Employee._meta.db_table]
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = %s "
                "AND last_analyze IS NOT NULL",
                [Employee._meta.db_table],
            )
        assert cursor.fetchone()[0] >= 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds tables")
def test_a_table_that_lost_its_statistics_is_analyzed_after_migrate(staff):
    from kinerja.core.apps import _statistics_after_migrate
    from kinerja.core.db import analyze_unanalyzed

    table = Employee._meta.db_table
    analyze()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])  # as a rebuild does
    assert table in analyze_unanalyzed()
    assert table not in analyze_unanalyzed()  # analyzed now: left alone
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
        _statistics_after_migrate(sender=apps.get_app_config("core"), using="default")
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        assert cursor.fetchone()[0] >= 1


def test_a_kept_sqlite_connection_is_reused_and_has_the_pragmas(tmp_path):
    """Connections persist between requests (CONN_MAX_AGE), and each new SQLite connection
    still runs the pragmas (WAL, synchronous NORMAL): Django runs init_command per connection."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    assert settings.DATABASE_CONN_MAX_AGE >= 60
    wrapper = DatabaseWrapper(
        {
            **connection.settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "pragmas.sqlite3"),
            "OPTIONS": dict(settings.SQLITE_OPTIONS),
            "CONN_MAX_AGE": settings.DATABASE_CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        },
        alias="pragmas",
    )
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
        first = wrapper.connection
        wrapper.close_if_unusable_or_obsolete()  # what Django does at the end of a request
        assert wrapper.connection is first  # kept for the next request
    finally:
        wrapper.close()
    assert (journal, synchronous) == ("wal", 1)  # 1 = NORMAL
