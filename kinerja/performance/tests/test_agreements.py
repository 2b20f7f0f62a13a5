"""Performance agreements (Perjanjian Kinerja): parties from the reporting lines on the
agreement's date, draft > submitted > approved > signed, the signed snapshot, revisions and
the optimistic lock. Each refusal names its field and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.audit.models import AuditEvent
from kinerja.organisations.choices import ActingKind
from kinerja.organisations.models import ActingAssignment
from kinerja.performance import services
from kinerja.performance.choices import AgreementStatus
from kinerja.performance.models import Agreement, AgreementProgram, AgreementTarget


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refused(field, call, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    assert field in info.value.message_dict, info.value.message_dict
    return " ".join(info.value.message_dict[field])


def start(pk, user="opd_admin", unit="a", **data):
    w = pk.world
    from kinerja.accounts.scope import scope_for

    return services.agreement_create(
        actor=w.users[user],
        scope=scope_for(w.users[user]),
        instansi=w.instansi,
        data={
            "unit": w.agency_a if unit == "a" else unit,
            "year": 2023,
            "agreement_date": pk.day,
            **data,
        },
    )


def call(pk, fn, agreement, user="opd_admin", **kwargs):
    from kinerja.accounts.scope import scope_for

    user = pk.world.users[user]
    version = kwargs.pop("version", agreement.version)
    return fn(actor=user, scope=scope_for(user), agreement=agreement, version=version, **kwargs)


def signed(pk):
    agreement = start(pk, **pk.governor)
    agreement = call(pk, services.agreement_set_targets, agreement, targets=[pk.t_a])
    agreement = call(pk, services.agreement_submit, agreement)
    agreement = call(pk, services.agreement_approve, agreement, user="bappeda")
    return call(pk, services.agreement_sign, agreement, user="bappeda")


def test_an_agencys_head_is_the_first_party_and_names_the_governor_above_the_lines(pk):
    w = pk.world
    message = refused("second_party_name", start, pk=pk)
    assert "Kepala Dinas Pendidikan reports to nobody on 2023-01-05" in message
    assert not Agreement.objects.exists()
    agreement = start(pk, **pk.governor)
    assert agreement.status == AgreementStatus.DRAFT
    assert (agreement.revision, agreement.version, agreement.is_current) == (0, 1, True)
    assert agreement.head_post == w.head_pos_a
    assert agreement.first_party == w.head_a
    assert agreement.first_party_name == w.head_a.display_name
    assert agreement.first_party_nip == w.head_a.nip
    assert agreement.first_party_title == "Kepala Dinas Pendidikan"
    assert agreement.second_party is None
    assert agreement.second_party_title == "Gubernur Jawa Timur"
    assert AuditEvent.objects.filter(action="agreement.create").count() == 1


def test_a_divisions_parties_come_from_the_lines_and_an_acting_official_wins(pk):
    w = pk.world
    agreement = start(pk, unit=w.division_a)
    assert (agreement.first_party, agreement.second_party) == (pk.kabid, w.head_a)
    assert agreement.second_party_title == "Kepala Dinas Pendidikan"
    # From 1 March 2023 Siti is Plt of the head of Bidang SMA: a draft dated 2 March names her.
    ActingAssignment.objects.create(
        instansi=w.instansi,
        employee=w.staff_a,
        position=pk.kabid_post,
        kind=ActingKind.PLT,
        decree_number="800/12/2023",
        valid_from=dt.date(2023, 3, 1),
    )
    agreement = call(
        pk,
        services.agreement_update,
        agreement,
        data={"agreement_date": dt.date(2023, 3, 2)},
    )
    assert agreement.first_party == w.staff_a
    assert agreement.first_party_title == "Plt. Kepala Bidang SMA"
    assert agreement.second_party == w.head_a
    assert agreement.version == 2


def test_the_date_falls_in_the_year_or_the_year_before_and_one_current_per_owner(pk):
    message = refused("agreement_date", start, pk=pk, agreement_date=dt.date(2021, 12, 31))
    assert "dated in 2023 or in 2022" in message
    start(pk, agreement_date=dt.date(2022, 12, 20), **pk.governor)
    assert "already has an agreement for 2023" in refused("year", start, pk=pk, **pk.governor)
    assert Agreement.objects.count() == 1


def test_a_unit_without_a_head_post_or_a_holder_makes_no_agreement(pk):
    w = pk.world
    assert "has no head post" in refused(
        "unit", start, pk=pk, user="bappeda", unit=w.agency_b, **pk.governor
    )
    # Nobody held the head post before 1 January 2022.
    message = refused("agreement_date", start, pk=pk, year=2022, agreement_date=dt.date(2021, 6, 1))
    assert "Nobody holds or acts in the post Kepala Dinas Pendidikan on 2021-06-01" in message


def test_another_agencys_plans_are_out_of_reach(pk):
    with pytest.raises(PermissionDenied):
        start(pk, unit=pk.world.agency_b, **pk.governor)
    with pytest.raises(PermissionDenied):
        start(pk, user="leadership", **pk.governor)


def test_targets_are_the_units_for_the_year_and_a_refusal_keeps_the_old_rows(pk):
    agreement = start(pk, **pk.governor)
    agreement = call(pk, services.agreement_set_targets, agreement, targets=[pk.t_a])
    assert agreement.version == 2
    row = AgreementTarget.objects.get(agreement=agreement)
    assert (row.target, row.goal, row.display) == (pk.t_a, pk.plan.target_a, "85")
    for bad, text in [
        (pk.t_b, "is not a target of this unit for 2023"),
        (pk.t_a_2024, "is not a target of this unit for 2023"),
        (pk.t_a, "is listed twice"),
    ]:
        message = refused(
            "targets.1",
            call,
            pk=pk,
            fn=services.agreement_set_targets,
            agreement=agreement,
            targets=[pk.t_a, bad],
        )
        assert text in message
    agreement.refresh_from_db()
    assert agreement.version == 2
    assert list(agreement.targets.values_list("target", flat=True)) == [pk.t_a.pk]


def test_programs_take_rupiah_budgets(pk):
    agreement = start(pk, **pk.governor)
    message = refused(
        "programs.1.budget",
        call,
        pk=pk,
        fn=services.agreement_set_programs,
        agreement=agreement,
        programs=[{"name": "Program Pendidikan", "budget": "1000"}, {"name": "X", "budget": -5}],
    )
    assert "from 0 to below 10^16 rupiah" in message
    assert not AgreementProgram.objects.exists()
    agreement = call(
        pk,
        services.agreement_set_programs,
        agreement,
        programs=[
            {
                "name": "Program Pengelolaan Pendidikan",
                "sipd_code": "1.01.02",
                "budget": D("1250000000.50"),
                "note": "APBD 2023",
            }
        ],
    )
    program = agreement.programs.get()
    assert (program.sipd_code, program.budget) == ("1.01.02", D("1250000000.50"))


def test_the_steps_in_order_and_submit_needs_a_target(pk):
    agreement = start(pk, **pk.governor)
    assert "at least one target" in refused(
        "targets", call, pk=pk, fn=services.agreement_submit, agreement=agreement
    )
    assert "Only a submitted agreement is approved: this one is draft" in refused(
        "status", call, pk=pk, fn=services.agreement_approve, agreement=agreement, user="bappeda"
    )
    agreement = call(pk, services.agreement_set_targets, agreement, targets=[pk.t_a])
    agreement = call(pk, services.agreement_submit, agreement)
    assert agreement.status == AgreementStatus.SUBMITTED
    with pytest.raises(ValidationError) as info:
        call(pk, services.agreement_set_targets, agreement, targets=[])
    assert "Only a draft agreement is edited: this one is submitted" in str(info.value)
    with pytest.raises(PermissionDenied):
        call(pk, services.agreement_approve, agreement, user="leadership")
    agreement = call(pk, services.agreement_approve, agreement, user="bappeda")
    agreement = call(pk, services.agreement_sign, agreement, user="opd_admin")
    assert agreement.status == AgreementStatus.SIGNED and agreement.signed_at is not None
    assert agreement.version == 5


def test_signing_locks_a_copy_of_the_targets(pk):
    agreement = signed(pk)
    pk.target(pk.plan.ind_a, "95")  # the target changes after signing
    row = AgreementTarget.objects.get(agreement=agreement)
    assert row.is_locked and row.display == "85" and row.target.display == "95"
    assert (row.indicator_name, row.measure_unit) == ("Angka partisipasi kasar SMA", "persen")
    assert row.goal_name == "Meningkatnya APK SMA"


def test_a_signed_agreement_is_refused_with_an_offer_to_revise_and_a_revision_copies_it(pk):
    agreement = signed(pk)
    with pytest.raises(ValidationError) as info:
        call(pk, services.agreement_set_programs, agreement, programs=[])
    assert "signed and no longer changes. To change it, start a revision" in str(info.value)
    assert "reason" in refused(
        "reason", call, pk=pk, fn=services.agreement_revise, agreement=agreement, reason=" "
    )
    new = call(pk, services.agreement_revise, agreement, reason="Refocusing APBD 2023")
    old = Agreement.objects.get(pk=agreement.pk)
    assert (new.revision, new.status, new.is_current, new.previous) == (1, "draft", True, old)
    assert new.revision_reason == "Refocusing APBD 2023"
    assert (old.status, old.is_current) == ("signed", False)
    assert list(new.targets.values_list("target", flat=True)) == [pk.t_a.pk]
    assert not new.targets.get().is_locked and old.targets.get().is_locked
    assert new.first_party == old.first_party and new.second_party_name == old.second_party_name
    assert "A later revision" in refused(
        "status", call, pk=pk, fn=services.agreement_revise, agreement=old, reason="again"
    )
    assert Agreement.objects.filter(unit=pk.world.agency_a, year=2023, is_current=True).count() == 1


def test_a_stale_version_is_a_conflict_not_an_overwrite(pk):
    agreement = start(pk, **pk.governor)
    call(pk, services.agreement_set_targets, agreement, targets=[pk.t_a])  # now version 2
    with pytest.raises(services.Conflict) as info:
        call(pk, services.agreement_set_targets, agreement, targets=[], version=1)
    message = " ".join(info.value.message_dict["version"])
    assert "you saw version 1, it is now at version 2" in message
    assert AgreementTarget.objects.filter(agreement=agreement).count() == 1
    assert "Give the version" in refused(
        "version", call, pk=pk, fn=services.agreement_submit, agreement=agreement, version="2"
    )


def test_the_provinces_agreement_is_the_governors_from_the_province_iku(pk):
    data = {"first_party_name": "Khofifah Indar Parawansa", "first_party_title": "Gubernur"}
    assert "Name the governor" in refused(
        "first_party_name", start, pk=pk, user="bappeda", unit=None, first_party_title="G"
    )
    w = pk.world
    from kinerja.accounts.scope import scope_for

    with pytest.raises(PermissionDenied):
        services.agreement_create(
            actor=w.users["opd_admin"],
            scope=scope_for(w.users["opd_admin"]),
            instansi=w.instansi,
            data={"unit": None, "year": 2023, "agreement_date": pk.day, **data},
        )
    agreement = services.agreement_create(
        actor=w.users["bappeda"],
        scope=scope_for(w.users["bappeda"]),
        instansi=w.instansi,
        data={"unit": None, "year": 2023, "agreement_date": pk.day, **data},
    )
    assert agreement.head_post is None and agreement.first_party_name == data["first_party_name"]
    assert "province's key indicators (IKU)" in refused(
        "targets.0",
        call,
        pk=pk,
        fn=services.agreement_set_targets,
        agreement=agreement,
        user="bappeda",
        targets=[pk.t_a],
    )
    agreement = call(
        pk, services.agreement_set_targets, agreement, user="bappeda", targets=[pk.t_iku]
    )
    assert agreement.targets.get().goal == pk.plan.target


def test_a_second_draft_started_at_the_same_moment_gets_the_message_not_an_error(pk, monkeypatch):
    """The check before the insert passed for both; the database's one-current constraint
    refuses the second, and the service answers with the check's message, not an error."""
    from kinerja.performance.models import Agreement

    first = start(pk, **pk.governor)
    manager = type(Agreement.objects)
    original = manager.filter

    def as_if_empty(self, *args, **kwargs):
        found = original(self, *args, **kwargs)
        return found.none() if kwargs.get("is_current") is True else found

    monkeypatch.setattr(manager, "filter", as_if_empty)
    message = refused("year", start, pk=pk, **pk.governor)
    assert "already has an agreement for 2023" in message
    monkeypatch.undo()
    assert list(Agreement.objects.filter(unit=pk.world.agency_a, year=2023)) == [first]
