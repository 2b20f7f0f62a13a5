"""The development-hours ledger: conversions, the yearly minimum and its forecast, records from
events and mentoring, who enters and who reads."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.organisations.tests.factories import EmployeeFactory
from kinerja.training import ledger_rules
from kinerja.training.ledger_rules import LedgerRules, reachable, rules_for_year, weeks_left
from kinerja.training.models import Attendance, DevelopmentRecord
from kinerja.training.selectors_ledger import shortfall, year_summary
from kinerja.training.services.ledger import (
    development_record_create,
    development_record_delete,
    development_record_update,
    record_from_event,
    record_mentoring,
)
from kinerja.training.tests.factories import (
    WIB,
    DevelopmentRecordFactory,
    EventFactory,
    ParticipantFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def entered(world, role="opd_admin", employee=None, **data):
    values = {
        "training_type": "seminar",
        "title": "Seminar Nasional Pelayanan Publik",
        "organiser": "Universitas Brawijaya",
        "starts_on": dt.date(2023, 5, 10),
        "ends_on": dt.date(2023, 5, 11),
        "quantity": "2",
        "quantity_unit": "seminar_day",
        **data,
    }
    return development_record_create(
        actor=world.users[role],
        scope=scope_for(world.users[role]),
        employee=employee or world.staff_a,
        data=values,
    )


# Conversions --------------------------------------------------------------------------------


def test_two_seminar_days_are_eight_jp_and_three_coaching_sessions_six(world):
    seminar = entered(world)
    coaching = entered(
        world,
        training_type="coaching",
        title="Coaching",
        quantity="3",
        quantity_unit="coaching_session",
    )
    assert (seminar.hours, seminar.quantity, seminar.quantity_unit) == (
        Decimal("8.00"),
        Decimal("2"),
        "seminar_day",
    )
    assert coaching.hours == Decimal("6.00")
    assert seminar.route == "non_classical" and seminar.year == 2023
    assert seminar.conversion_version == dt.date(2017, 3, 30)
    assert seminar.agency == world.agency_a and seminar.unit == world.division_a
    assert AuditEvent.objects.filter(
        action="training.development_record.create", target_id=str(seminar.pk)
    ).exists()


def test_a_record_keeps_the_version_it_was_converted_under(world):
    old = entered(world)
    new_version = LedgerRules(
        valid_from=dt.date(2024, 1, 1),
        minimum_jp=Decimal("24"),
        applies_to=("pns", "pppk"),
        weekly_allowance_jp=Decimal("0"),
        units={"jp": Decimal("1"), "seminar_day": Decimal("5")},
    )
    versions = (*ledger_rules._versions(), new_version)
    with mock.patch.object(ledger_rules, "_versions", return_value=versions):
        later = entered(world, starts_on=dt.date(2024, 2, 1), ends_on=dt.date(2024, 2, 2))
        assert later.hours == Decimal("10.00")
        assert later.conversion_version == dt.date(2024, 1, 1)
        assert rules_for_year(2024).minimum_jp == Decimal("24")
        assert rules_for_year(2023).minimum_jp == Decimal("20")
        old.refresh_from_db()
        assert (old.hours, old.conversion_version) == (Decimal("8.00"), dt.date(2017, 3, 30))


def test_bad_input_is_refused_with_every_field_named_and_nothing_written(world):
    with pytest.raises(ValidationError) as caught:
        entered(
            world,
            training_type="nope",
            title="",
            quantity="-1",
            quantity_unit="seminar_day",
            starts_on=dt.date(2023, 5, 10),
            ends_on=dt.date(2023, 5, 9),
        )
    assert set(caught.value.message_dict) == {"training_type", "title", "quantity", "ends_on"}
    with pytest.raises(ValidationError) as caught:
        entered(world, quantity_unit="hour")
    assert "quantity_unit" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        entered(world, year="2022")
    assert "year" in caught.value.message_dict
    assert not DevelopmentRecord.objects.exists()


def test_only_who_keeps_the_person_record_enters_it(world):
    with pytest.raises(PermissionDenied):
        entered(world, role="opd_admin", employee=world.staff_b)  # agency B
    for role in ("employee", "bpsdm", "leadership", "opd_head"):
        with pytest.raises(PermissionDenied):
            entered(world, role=role)
    assert entered(world, role="bkd", employee=world.staff_b).agency == world.agency_b
    assert DevelopmentRecord.objects.count() == 1


def test_an_update_converts_again_and_a_delete_is_audited(world):
    rec = entered(world)
    admin = world.users["opd_admin"]
    scope = scope_for(admin)
    rec = development_record_update(actor=admin, scope=scope, record_=rec, data={"quantity": "3"})
    assert (rec.hours, rec.version) == (Decimal("12.00"), 2)
    same = development_record_update(actor=admin, scope=scope, record_=rec, data={})
    assert same.version == 2
    development_record_delete(actor=admin, scope=scope, record_=rec, reason="Dobel")
    assert not DevelopmentRecord.objects.exists()
    assert AuditEvent.objects.filter(action="training.development_record.delete").count() == 1


# Records from events and mentoring ----------------------------------------------------------


def attended(world, participant, session, jp):
    return Attendance.objects.create(
        instansi=world.instansi,
        participant=participant,
        session=session,
        status="present",
        jp=Decimal(jp),
    )


def test_an_event_gives_the_attended_jp_once_per_participant(world):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    first, second = SessionFactory(event=event), SessionFactory(event=event)
    part = ParticipantFactory(event=event, employee=world.staff_a)
    attended(world, part, first, "2")
    late = attended(world, part, second, "1.5")  # arrived late: time present only
    rec = record_from_event(part)
    assert (rec.hours, rec.source, rec.year, rec.title) == (
        Decimal("3.50"),
        "event",
        2023,
        event.title,
    )
    assert record_from_event(part) == rec  # again: the same record, unchanged
    assert DevelopmentRecord.objects.count() == 1 and rec.version == 1
    late.jp = Decimal("2")  # corrected by hand
    late.save()
    rec = record_from_event(part)
    assert (rec.hours, rec.version) == (Decimal("4.00"), 2)
    assert DevelopmentRecord.objects.count() == 1


def test_no_attendance_gives_no_record(world):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    part = ParticipantFactory(event=event, employee=world.staff_a)
    assert record_from_event(part) is None
    assert not DevelopmentRecord.objects.exists()


def test_an_event_record_is_changed_at_its_source_only(world):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    part = ParticipantFactory(event=event, employee=world.staff_a)
    attended(world, part, SessionFactory(event=event), "2")
    rec = record_from_event(part)
    with pytest.raises(ValidationError):
        development_record_update(
            actor=world.users["bkd"],
            scope=scope_for(world.users["bkd"]),
            record_=rec,
            data={"quantity": "20"},
        )


def test_mentoring_sessions_are_two_jp_each(world):
    rec = record_mentoring(world.staff_a, dt.date(2023, 8, 1), 3)
    assert (rec.hours, rec.quantity_unit, rec.source, rec.training_type.code) == (
        Decimal("6.00"),
        "mentoring_session",
        "mentoring",
        "mentoring",
    )


# The minimum and the forecast ---------------------------------------------------------------


def test_the_forecast_edges():
    twenty = Decimal("20")
    assert reachable(
        total=Decimal("18"), enrolled=Decimal("2"), minimum=twenty, weeks=30, weekly=Decimal("0")
    )
    assert not reachable(
        total=Decimal("18"), enrolled=Decimal("1.5"), minimum=twenty, weeks=30, weekly=Decimal("0")
    )
    assert reachable(
        total=Decimal("18"), enrolled=Decimal("1.5"), minimum=twenty, weeks=1, weekly=Decimal("0.5")
    )
    assert weeks_left(dt.date(2023, 12, 17), 2023) == 2
    assert weeks_left(dt.date(2024, 1, 1), 2023) == 0
    assert weeks_left(dt.date(2022, 6, 1), 2023) == 52


def _future_event(world, jp, employee, day=dt.date(2023, 11, 20)):
    event = EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        starts_on=day,
        ends_on=day,
        status="nomination",
    )
    SessionFactory(
        event=event,
        jp=Decimal(jp),
        starts_at=dt.datetime.combine(day, dt.time(8), WIB),
        ends_at=dt.datetime.combine(day, dt.time(10), WIB),
    )
    ParticipantFactory(event=event, employee=employee, status="nominated")


def test_the_shortfall_lists_who_is_below_twenty_jp_and_who_can_no_longer_reach_it(world):
    agency = world.agency_a
    exactly = EmployeeFactory(unit=world.division_a, name="Tepat Dua Puluh")
    reach = EmployeeFactory(unit=world.division_a, name="Masih Bisa")
    short = EmployeeFactory(unit=world.division_a, name="Tidak Terkejar")
    honorer = EmployeeFactory(unit=world.division_a, status="non_asn", nip=None, name="Honorer")
    DevelopmentRecordFactory(employee=exactly, hours=Decimal("20"))
    DevelopmentRecordFactory(employee=reach, hours=Decimal("18"))
    DevelopmentRecordFactory(employee=short, hours=Decimal("18"))
    DevelopmentRecordFactory(employee=world.head_a, hours=Decimal("12"), year=2022)
    _future_event(world, "2", reach)
    _future_event(world, "1.5", short)
    now = dt.datetime(2023, 10, 1, 9, tzinfo=WIB)
    scope = scope_for(world.users["opd_admin"])
    rows = {e.name: e for e in shortfall(scope, year=2023, agency=agency, now=now)}
    assert "Tepat Dua Puluh" not in rows  # exactly 20 JP is not a shortfall
    assert "Honorer" not in rows  # the minimum applies to PNS by default
    assert (rows["Masih Bisa"].total, rows["Masih Bisa"].enrolled) == (
        Decimal("18"),
        Decimal("2"),
    )
    assert rows["Masih Bisa"].unreachable is False
    assert rows["Tidak Terkejar"].unreachable is True
    assert rows["Siti Aminah"].total == 0 and rows["Siti Aminah"].unreachable is True
    assert rows["Budi Santoso"].total == 0  # last year's hours do not count
    assert rows["Tidak Terkejar"].missing == Decimal("2")
    unreachable = shortfall(scope, year=2023, agency=agency, unreachable_only=True, now=now)
    assert set(unreachable.values_list("name", flat=True)) == {
        "Tidak Terkejar",
        "Siti Aminah",
        "Budi Santoso",
    }
    # Once the future event has started, its sessions no longer count as still to come.
    later = dt.datetime(2023, 11, 21, 9, tzinfo=WIB)
    rows = {e.name: e for e in shortfall(scope, year=2023, agency=agency, now=later)}
    assert rows["Masih Bisa"].unreachable is True
    del honorer


def test_the_shortfall_is_scoped(world):
    now = dt.datetime(2023, 10, 1, 9, tzinfo=WIB)

    def names(role):
        return set(
            shortfall(scope_for(world.users[role]), year=2023, now=now).values_list(
                "name", flat=True
            )
        )

    assert names("opd_admin") == {"Budi Santoso", "Siti Aminah"}
    assert names("opd_head") == {"Budi Santoso", "Siti Aminah"}
    assert {"Rina Wulandari", "Siti Aminah"} <= names("bpsdm")
    assert "Dewi Lestari" not in names("bkd")
    assert names("employee") == {"Siti Aminah"}


def test_records_are_read_like_the_person(world):
    rec_a = DevelopmentRecordFactory(employee=world.staff_a)
    rec_b = DevelopmentRecordFactory(employee=world.staff_b)

    def seen(role):
        return set(DevelopmentRecord.objects.within(scope_for(world.users[role])))

    assert seen("opd_admin") == {rec_a}
    assert seen("employee") == {rec_a}
    assert seen("leadership") == {rec_a, rec_b}
    assert seen("bpsdm") == {rec_a, rec_b}
    assert seen("evaluator") == set()


def test_the_year_summary(world):
    DevelopmentRecordFactory(employee=world.staff_a, hours=Decimal("8"))
    DevelopmentRecordFactory(employee=world.staff_a, hours=Decimal("4.5"))
    summary = year_summary(world.staff_a, 2023)
    assert (summary.total, summary.minimum, summary.missing, summary.percent) == (
        Decimal("12.5"),
        Decimal("20"),
        Decimal("7.5"),
        62,
    )
    assert summary.applies and not summary.met
