"""The services of the risk register: rules with concrete numbers, scope, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.audit.models import AuditEvent
from kinerja.organisations.tests.factories import PositionFactory
from kinerja.risks import services
from kinerja.risks.models import Mitigation, Risk

pytestmark = pytest.mark.django_db


def test_create_computes_level_20_very_high_and_takes_the_unit_and_head_post(
    world, plan, call, risk_data
):
    risk = services.risk_create(**call("opd_admin"), instansi=world.instansi, data=risk_data())
    assert (risk.likelihood, risk.impact, risk.level) == (4, 5, 20)
    assert risk.band.key == "very_high"
    assert risk.unit == world.agency_a
    assert risk.year == 2026
    assert risk.owner_position == world.head_pos_a  # the head of the risk-owning unit
    assert risk.status == "open"
    event = AuditEvent.objects.get(action="risk.create", target_id=str(risk.pk))
    assert event.changes["level"] == [None, 20]
    assert event.unit_id == world.agency_a.pk


def test_create_refuses_bad_levels_and_missing_text_beside_the_fields(world, plan, call, risk_data):
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        services.risk_create(
            **call("opd_admin"),
            instansi=world.instansi,
            data=risk_data(likelihood=6, impact=0, title=" ", category="cuaca"),
        )
    errors = exc.value.message_dict
    assert set(errors) == {"likelihood", "impact", "title", "category"}
    assert errors["likelihood"] == ["Pilih tingkat dari 1 sampai 5."]
    assert not Risk.objects.exists()


def test_create_needs_exactly_one_object(world, plan, call, risk_data):
    with pytest.raises(ValidationError) as exc:
        services.risk_create(
            **call("bappeda"), instansi=world.instansi, data=risk_data(goal=plan.goal_a)
        )
    assert "goal" in exc.value.message_dict


def test_residual_level_is_its_product_and_never_above_the_inherent(world, plan, call, risk_data):
    risk = services.risk_create(
        **call("opd_admin"),
        instansi=world.instansi,
        data=risk_data(likelihood=3, impact=4, residual_likelihood=2, residual_impact=4),
    )
    assert (risk.level, risk.residual_level, risk.residual_band.key) == (12, 8, "medium")
    with pytest.raises(ValidationError) as exc:
        services.risk_update(
            **call("opd_admin"), risk=risk, data={"residual_likelihood": 4, "residual_impact": 4}
        )
    assert "residual_likelihood" in exc.value.message_dict  # 16 > 12
    with pytest.raises(ValidationError) as exc:
        services.risk_update(
            **call("opd_admin"),
            risk=risk,
            data={"residual_likelihood": 2, "residual_impact": None},
        )
    assert "residual_impact" in exc.value.message_dict


def test_update_recomputes_the_level_and_audits_the_change(world, plan, call, risk_data):
    risk = services.risk_create(**call("opd_admin"), instansi=world.instansi, data=risk_data())
    risk = services.risk_update(
        **call("opd_admin"), risk=risk, data={"likelihood": 2}, reason="Realisasi membaik"
    )
    assert risk.level == 10
    assert risk.band.key == "medium"
    event = AuditEvent.objects.get(action="risk.update", target_id=str(risk.pk))
    assert event.changes == {"likelihood": [4, 2], "level": [20, 10]}
    assert event.reason == "Realisasi membaik"


def test_scope_admin_manages_own_agency_only_head_reads_bappeda_everywhere(
    world, plan, call, risk_data
):
    with pytest.raises(PermissionDenied):
        services.risk_create(
            **call("opd_admin"), instansi=world.instansi, data=risk_data(target=plan.target_b)
        )
    with pytest.raises(PermissionDenied):
        services.risk_create(**call("opd_head"), instansi=world.instansi, data=risk_data())
    with pytest.raises(PermissionDenied):  # the province's own target: across the instansi
        services.risk_create(
            **call("opd_admin"), instansi=world.instansi, data=risk_data(target=plan.target_iku)
        )
    head_b = PositionFactory(unit=world.agency_b, code="DINKES-KADIS", is_head=True)
    risk_b = services.risk_create(
        **call("bappeda"), instansi=world.instansi, data=risk_data(target=plan.target_b)
    )
    assert risk_b.owner_position == head_b
    province = services.risk_create(
        **call("bappeda"),
        instansi=world.instansi,
        data=risk_data(target=plan.target_iku, owner_position=world.head_pos_a),
    )
    assert risk_b.unit == world.agency_b and province.unit is None
    with pytest.raises(PermissionDenied):
        services.risk_update(**call("leadership"), risk=risk_b, data={"likelihood": 1})


def test_province_risk_without_owner_is_refused(world, plan, call, risk_data):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.risk_create(
            **call("bappeda"), instansi=world.instansi, data=risk_data(target=plan.target_iku)
        )
    assert exc.value.message_dict["owner_position"] == [
        "Name the risk owner: a post or an employee."
    ]


def test_owner_of_another_instansi_is_refused(world, plan, call, risk_data):
    post_x = PositionFactory(unit=world.agency_x, code="MLG-99")
    with pytest.raises(ValidationError) as exc:
        services.risk_create(
            **call("opd_admin"), instansi=world.instansi, data=risk_data(owner_position=post_x)
        )
    assert "owner_position" in exc.value.message_dict


def test_close_needs_a_reason_and_ends_the_risk(world, plan, call, risk_data):
    risk = services.risk_create(**call("opd_admin"), instansi=world.instansi, data=risk_data())
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        services.risk_close(**call("opd_admin"), risk=risk, status="closed", reason="")
    assert exc.value.message_dict["reason"] == ["Jelaskan mengapa risiko ditutup atau diterima."]
    with pytest.raises(ValidationError):
        services.risk_close(
            **call("opd_admin"), risk=risk, reason="x", on=dt.date(2026, 2, 1)
        )  # before it was identified (1 March)
    risk = services.risk_close(
        **call("opd_admin"),
        risk=risk,
        status="accepted",
        reason="Dalam selera risiko",
        on=dt.date(2026, 9, 30),
    )
    assert (risk.status, risk.closed_on) == ("accepted", dt.date(2026, 9, 30))
    with pytest.raises(ValidationError):
        services.risk_update(**call("opd_admin"), risk=risk, data={"likelihood": 1})
    with pytest.raises(ValidationError):
        services.mitigation_add(
            **call("opd_admin"),
            risk=risk,
            data={"action": "x", "responsible_name": "y", "due_on": dt.date(2026, 12, 1)},
        )


def test_mitigation_moves_an_open_risk_to_mitigating_and_done_sets_its_day(
    world, plan, call, risk_data
):
    risk = services.risk_create(**call("opd_admin"), instansi=world.instansi, data=risk_data())
    m = services.mitigation_add(
        **call("opd_admin"),
        risk=risk,
        data={
            "action": "Bantuan biaya pendidikan",
            "responsible_position": world.head_pos_a,
            "due_on": dt.date(2026, 6, 30),
            "progress_percent": 20,
        },
    )
    risk.refresh_from_db()
    assert risk.status == "mitigating"
    assert (m.status, m.progress_percent, m.done_on) == ("planned", 20, None)
    m = services.mitigation_update(
        **call("opd_admin"), mitigation=m, data={"status": "done", "on": dt.date(2026, 6, 20)}
    )
    assert (m.status, m.progress_percent, m.done_on) == ("done", 100, dt.date(2026, 6, 20))
    event = AuditEvent.objects.get(action="risk.mitigation_update", target_id=str(m.pk))
    assert event.changes["status"] == ["planned", "done"]
    assert event.unit_id == world.agency_a.pk


def test_mitigation_refusals(world, plan, call, risk_data):
    risk = services.risk_create(**call("opd_admin"), instansi=world.instansi, data=risk_data())
    with pytest.raises(ValidationError) as exc:
        services.mitigation_add(
            **call("opd_admin"),
            risk=risk,
            data={"action": "", "due_on": dt.date(2026, 2, 1), "progress_percent": 120},
        )
    assert set(exc.value.message_dict) == {
        "action",
        "responsible_position",
        "due_on",
        "progress_percent",
    }
    assert not Mitigation.objects.exists()
    with pytest.raises(PermissionDenied):
        services.mitigation_add(
            **call("opd_head"),
            risk=risk,
            data={"action": "x", "responsible_name": "y", "due_on": dt.date(2026, 6, 1)},
        )


# Raising from the early warning ---------------------------------------------------------


def test_raise_72_against_90_on_a_province_key_indicator_is_4_by_5(world, plan, call):
    with translation.override("id"):
        risk = services.risk_raise_from_warning(
            **call("bappeda"),
            target=plan.target_iku,
            projected_percent="72",
            threshold="90",
            owner_position=world.head_pos_a,
            on=dt.date(2026, 7, 15),
        )
    assert risk.title == "Capaian Prevalensi stunting pada balita diproyeksikan 72% (< ambang 90%)"
    assert (risk.category, risk.source) == ("performance", "early_warning")
    assert (risk.likelihood, risk.impact, risk.level) == (4, 5, 20)
    assert risk.band.key == "very_high"
    assert (risk.projected_percent, risk.threshold_percent) == (Decimal("72"), Decimal("90"))
    assert risk.unit is None


@pytest.mark.parametrize(
    ("target", "projected", "likelihood", "impact"),
    [
        ("target_a", "72", 4, 4),  # agency IKU
        ("target_a2", "85.5", 2, 3),  # in the current PK; 4.5 points below
        ("target_a3", "60", 5, 2),  # other; 30 points below
    ],
)
def test_raise_takes_impact_from_the_targets_weight(
    world, plan, call, target, projected, likelihood, impact
):
    risk = services.risk_raise_from_warning(
        **call("opd_admin"),
        target=getattr(plan, target),
        projected_percent=projected,
        threshold="90",
    )
    assert (risk.likelihood, risk.impact) == (likelihood, impact)
    assert risk.owner_position == world.head_pos_a


def test_a_second_open_risk_from_the_warning_is_refused_in_indonesian(world, plan, call):
    first = services.risk_raise_from_warning(
        **call("opd_admin"), target=plan.target_a, projected_percent="72", threshold="90"
    )
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        services.risk_raise_from_warning(
            **call("opd_admin"), target=plan.target_a, projected_percent="70", threshold="90"
        )
    assert exc.value.message_dict["target"] == [
        "Target ini sudah memiliki risiko terbuka dari peringatan dini: "
        "\u201cCapaian Angka Partisipasi Kasar SMA/SMK diproyeksikan 72% (< ambang 90%)\u201d. "
        "Perbarui risiko itu alih-alih membuat risiko baru."
    ]
    assert Risk.objects.filter(target=plan.target_a).count() == 1
    services.risk_close(**call("opd_admin"), risk=first, reason="Sudah membaik")
    again = services.risk_raise_from_warning(
        **call("opd_admin"), target=plan.target_a, projected_percent="70", threshold="90"
    )
    assert again.likelihood == 5  # 20 points below


def test_raise_refuses_a_projection_not_below_the_threshold(world, plan, call):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.risk_raise_from_warning(
            **call("opd_admin"), target=plan.target_a, projected_percent="91", threshold="90"
        )
    assert exc.value.message_dict["projected_percent"] == [
        "The projection (91%) is not below the threshold (90%): there is no early warning to raise."
    ]
    with pytest.raises(ValidationError) as exc:
        services.risk_raise_from_warning(
            **call("opd_admin"), target=plan.target_a, projected_percent="abc", threshold="0"
        )
    assert set(exc.value.message_dict) == {"projected_percent", "threshold"}
    assert not Risk.objects.exists()


def test_a_manual_risk_does_not_block_raising(world, plan, call, risk_data):
    services.risk_create(**call("opd_admin"), instansi=world.instansi, data=risk_data())
    risk = services.risk_raise_from_warning(
        **call("opd_admin"), target=plan.target_a, projected_percent="80", threshold="90"
    )
    assert risk.source == "early_warning"


def test_the_database_holds_one_open_warning_risk_per_target(world, plan, call, risk_data):
    """Two raises racing past the check meet the unique constraint: the same refusal."""
    data = risk_data(source="early_warning", projected_percent="72", threshold_percent="90")
    services.risk_create(**call("opd_admin"), instansi=world.instansi, data=data)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.risk_create(**call("opd_admin"), instansi=world.instansi, data=data)
    assert exc.value.message_dict["target"] == [
        "This target already has an open risk raised from the early warning."
    ]
    assert Risk.objects.count() == 1
