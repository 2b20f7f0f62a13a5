"""Correction requests: the employee asks, the agency decides, every step audited and scoped."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.corrections import services
from kinerja.corrections.models import CorrectionRequest
from kinerja.organisations.models import Employee


def _scope(user):
    user.refresh_from_db()
    return scope_for(user)


def _ask(world, field="name", value="Siti Aminah Rahayu", reason="Sesuai akta kelahiran"):
    user = world.users["employee"]  # staff_a's account
    return services.request_correction(
        actor=user,
        scope=_scope(user),
        employee=world.staff_a,
        field=field,
        proposed_value=value,
        reason=reason,
    )


def _history(employee):
    return list(
        AuditEvent.objects.filter(target_type="organisations.employee", target_id=str(employee.pk))
        .order_by("sequence")
        .values_list("action", "changes", "reason")
    )


def test_request_keeps_the_current_and_proposed_values_and_is_audited(world):
    correction = _ask(world)
    assert (correction.field, correction.current_value) == ("name", "Siti Aminah")
    assert (correction.proposed_value, correction.status) == ("Siti Aminah Rahayu", "pending")
    assert Employee.objects.get(pk=world.staff_a.pk).name == "Siti Aminah"  # nothing applied yet
    assert _history(world.staff_a) == [
        (
            "employee.correction_request",
            {"name": ["Siti Aminah", "Siti Aminah Rahayu"]},
            "Sesuai akta kelahiran",
        )
    ]


def test_only_ones_own_record_can_be_the_subject_of_a_request(world):
    admin = world.users["opd_admin"]
    with pytest.raises(PermissionDenied):
        services.request_correction(
            actor=admin,
            scope=_scope(admin),
            employee=world.staff_a,
            field="name",
            proposed_value="X",
            reason="r",
        )


@pytest.mark.parametrize(
    ("field", "value", "error_on"),
    [
        ("email", "bukan-email", "proposed_value"),
        ("birth_date", "31-02-1985", "proposed_value"),
        ("sex", "X", "proposed_value"),
        ("name", "", "proposed_value"),
        ("name", "Siti Aminah", "proposed_value"),  # what is already recorded
        ("nip", "198503142005011001", "field"),  # not a correctable field
    ],
)
def test_a_proposed_value_is_checked_when_asked(world, field, value, error_on):
    with pytest.raises(ValidationError) as exc:
        _ask(world, field=field, value=value)
    assert error_on in exc.value.message_dict
    assert CorrectionRequest.objects.count() == 0


def test_one_pending_request_per_field(world):
    _ask(world)
    with pytest.raises(ValidationError):
        _ask(world, value="Siti A. Rahayu")
    _ask(world, field="email", value="siti@jatimprov.go.id")
    assert CorrectionRequest.objects.count() == 2


def test_sex_and_dates_are_read_as_people_write_them(world):
    correction = _ask(world, field="email", value=" siti@jatimprov.go.id ")
    assert correction.proposed_value == "siti@jatimprov.go.id"
    assert services.parse_value("sex", "P") == "f"
    assert services.parse_value("sex", "Laki-laki") == "m"
    assert services.parse_value("birth_date", "14-03-1985") == dt.date(1985, 3, 14)


def test_refuse_leaves_the_data_unchanged_and_is_audited(world):
    correction = _ask(world)
    admin = world.users["opd_admin"]
    with pytest.raises(ValidationError):  # a refusal needs its reason
        services.refuse_correction(actor=admin, scope=_scope(admin), correction=correction, note="")
    services.refuse_correction(
        actor=admin, scope=_scope(admin), correction=correction, note="Akta tidak dilampirkan"
    )
    correction.refresh_from_db()
    assert (correction.status, correction.decided_by) == ("refused", admin)
    assert correction.decision_note == "Akta tidak dilampirkan"
    assert correction.decided_at is not None
    assert Employee.objects.get(pk=world.staff_a.pk).name == "Siti Aminah"
    actions = [a for a, _c, _r in _history(world.staff_a)]
    assert actions == ["employee.correction_request", "employee.correction_refuse"]
    with pytest.raises(ValidationError):  # decided once
        services.accept_correction(actor=admin, scope=_scope(admin), correction=correction)


def test_accept_applies_through_the_update_service_and_every_step_is_in_the_history(world):
    correction = _ask(world)
    admin = world.users["opd_admin"]
    services.accept_correction(
        actor=admin, scope=_scope(admin), correction=correction, note="Sesuai akta"
    )
    assert Employee.objects.get(pk=world.staff_a.pk).name == "Siti Aminah Rahayu"
    history = _history(world.staff_a)
    assert [a for a, _c, _r in history] == [
        "employee.correction_request",
        "employee.update",
        "employee.correction_accept",
    ]
    update = history[1]
    assert update[1] == {"name": ["Siti Aminah", "Siti Aminah Rahayu"]}
    assert update[2].endswith(f" #{correction.pk}: Sesuai akta kelahiran")
    assert history[2][2] == "Sesuai akta"
    correction.refresh_from_db()
    assert (correction.status, correction.decided_by) == ("accepted", admin)


def test_accept_obeys_the_employee_rules(world):
    """The NIP of staff_a says 14 March 1985: another birth date breaks the rule on accepting."""
    correction = _ask(world, field="birth_date", value="15-03-1985")
    admin = world.users["opd_admin"]
    with pytest.raises(ValidationError) as exc:
        services.accept_correction(actor=admin, scope=_scope(admin), correction=correction)
    assert "birth_date" in exc.value.message_dict
    correction.refresh_from_db()
    assert correction.status == "pending"
    assert Employee.objects.get(pk=world.staff_a.pk).birth_date == dt.date(1985, 3, 14)
    assert [a for a, _c, _r in _history(world.staff_a)] == ["employee.correction_request"]


def test_only_a_changer_of_the_unit_decides(world):
    correction = _ask(world)
    for role in ("opd_head", "evaluator", "leadership"):  # they may view staff_a, not change
        user = world.users[role]
        with pytest.raises(PermissionDenied):
            services.accept_correction(actor=user, scope=_scope(user), correction=correction)
    assert CorrectionRequest.objects.get(pk=correction.pk).status == "pending"


# Pages -------------------------------------------------------------------------------------


def test_employee_asks_on_the_page_and_sees_the_outcome(world, login):
    client = login(world.users["employee"])
    url = reverse("corrections:mine")
    response = client.post(
        url, {"field": "email", "proposed_value": "siti@jatimprov.go.id", "reason": "Email baru"}
    )
    assert response.status_code == 302
    correction = CorrectionRequest.objects.get()
    admin = login(world.users["opd_admin"])
    response = admin.post(
        reverse("corrections:refuse", args=[correction.pk]), {"note": "Pakai email dinas"}
    )
    assert response.status_code == 302
    client = login(world.users["employee"])
    body = client.get(url).content.decode()
    assert "siti@jatimprov.go.id" in body and "Pakai email dinas" in body
    bad = client.post(url, {"field": "email", "proposed_value": "salah", "reason": "x"})
    assert bad.status_code == 400
    assert CorrectionRequest.objects.count() == 1


def test_queue_holds_the_pending_requests_within_reach(world, login):
    mine = _ask(world)
    rina = world.staff_b
    other = CorrectionRequest.objects.create(
        instansi=world.instansi,
        employee=rina,
        field="name",
        current_value=rina.name,
        proposed_value="Rina W.",
        reason="r",
    )
    queue = reverse("corrections:queue")
    admin_a = login(world.users["opd_admin"])
    assert [c.pk for c in admin_a.get(queue).context["requests"]] == [mine.pk]
    bkd = login(world.users["bkd"])
    assert {c.pk for c in bkd.get(queue).context["requests"]} == {mine.pk, other.pk}
    assert login(world.users["opd_head"]).get(queue).status_code == 403


def test_an_admin_of_another_agency_gets_404(world, login):
    from kinerja.accounts.models import RoleAssignment, User

    admin_b = User.objects.create_user(username="admin.dinkes", instansi=world.instansi)
    RoleAssignment.objects.create(
        user=admin_b, role="opd_admin", instansi=world.instansi, unit=world.agency_b
    )
    correction = _ask(world)
    client = login(admin_b)
    assert client.get(reverse("corrections:detail", args=[correction.pk])).status_code == 404
    for name in ("corrections:accept", "corrections:refuse"):
        response = client.post(reverse(name, args=[correction.pk]), {"note": "x"})
        assert response.status_code == 404
    assert client.get(reverse("corrections:queue")).context["page_obj"].paginator.count == 0
    correction.refresh_from_db()
    assert correction.status == "pending"
    assert Employee.objects.get(pk=world.staff_a.pk).name == "Siti Aminah"


def test_accept_on_the_page_shows_a_broken_rule(world, login):
    correction = _ask(world, field="birth_date", value="1985-03-15")
    client = login(world.users["opd_admin"])
    response = client.post(reverse("corrections:accept", args=[correction.pk]), {"note": ""})
    assert response.status_code == 400
    assert CorrectionRequest.objects.get(pk=correction.pk).status == "pending"


def test_home_cards_count_my_pending_and_the_queue(world, login):
    _ask(world)
    home = reverse("core:home")
    mine = login(world.users["employee"]).get(home)
    cards = {k: v for card in mine.context["cards"] for k, v in card.items()}
    assert cards["my_pending"] == 1
    assert "to_decide" not in cards
    admin = login(world.users["opd_admin"]).get(home)
    cards = {k: v for card in admin.context["cards"] for k, v in card.items()}
    assert cards["to_decide"] == 1


# API ---------------------------------------------------------------------------------------


def test_api_lists_within_reach_and_decides(world, login):
    correction = _ask(world)
    url = reverse("api:correction-request-list")
    own = login(world.users["employee"]).get(url, {"status": "pending"}).json()
    assert [r["id"] for r in own["results"]] == [correction.pk]
    assert own["results"][0]["proposed_value"] == "Siti Aminah Rahayu"
    assert login(world.users["opd_admin"]).get(url).json()["count"] == 1
    client = login(world.users["opd_admin"])
    refuse = reverse("api:correction-request-refuse", args=[correction.pk])
    response = client.post(refuse, {}, content_type="application/json")
    assert response.status_code == 400 and "note" in response.json()
    accept = reverse("api:correction-request-accept", args=[correction.pk])
    response = client.post(accept, {"note": "ok"}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decided_by"]) == ("accepted", "opd_admin")
    assert Employee.objects.get(pk=world.staff_a.pk).name == "Siti Aminah Rahayu"
    again = client.post(accept, {}, content_type="application/json")
    assert again.status_code == 400  # decided once


def test_api_of_another_agency_finds_nothing(world, login):
    from kinerja.accounts.models import RoleAssignment, User

    admin_b = User.objects.create_user(username="admin.dinkes", instansi=world.instansi)
    RoleAssignment.objects.create(
        user=admin_b, role="opd_admin", instansi=world.instansi, unit=world.agency_b
    )
    correction = _ask(world)
    client = login(admin_b)
    assert client.get(reverse("api:correction-request-list")).json()["count"] == 0
    accept = reverse("api:correction-request-accept", args=[correction.pk])
    assert client.post(accept, {}, content_type="application/json").status_code == 404
    assert CorrectionRequest.objects.get(pk=correction.pk).status == "pending"


def test_the_admin_shows_requests_and_changes_none(world, client):
    from kinerja.accounts.models import User

    correction = _ask(world)
    root = User.objects.create_superuser(username="root", password="x", email="r@example.org")
    client.force_login(root)
    change = reverse("admin:corrections_correctionrequest_change", args=[correction.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"status": "accepted", "proposed_value": "X"})
    delete = reverse("admin:corrections_correctionrequest_delete", args=[correction.pk])
    client.post(delete, {"post": "yes"})
    correction.refresh_from_db()
    assert (correction.status, correction.proposed_value) == ("pending", "Siti Aminah Rahayu")


def test_a_record_of_another_instansi_is_not_ones_own(world, login):
    """An account of Jatim linked (wrongly) to Malang's employee reaches no page of hers."""
    from kinerja.accounts.models import User

    user = User.objects.create_user(
        username="salah", instansi=world.instansi, employee=world.staff_x
    )
    client = login(user)
    assert client.get(reverse("corrections:mine")).status_code == 404
    response = client.post(
        reverse("corrections:mine"), {"field": "name", "proposed_value": "X", "reason": "r"}
    )
    assert response.status_code == 404
    assert CorrectionRequest.objects.count() == 0
