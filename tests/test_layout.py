"""What every page shares: landmarks, one h1, a skip link, the favicon; dates, NIPs and API links
shown the same way everywhere; the instansi on the sign-in page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kinerja.accounts import services
from kinerja.accounts.models import RoleAssignment
from kinerja.accounts.roles import Role
from kinerja.audit.services import record
from kinerja.audit.templatetags.audit_tags import describe_events
from kinerja.core.formatting import format_nip
from kinerja.organisations.models import Instansi
from kinerja.organisations.tests.factories import InstansiFactory

PAGES = [
    ("core:home", ()),
    ("organisations:unit_tree", ()),
    ("organisations:unit_detail", ("agency_a",)),
    ("organisations:employee_list", ()),
    ("organisations:employee_detail", ("staff_a",)),
    ("organisations:employee_update", ("staff_a",)),
    ("audit:event_list", ()),
    ("imports:import_start", ()),
    ("imports:importjob_list", ()),
    ("accounts:token_list", ()),
    ("accounts:password_change", ()),
    ("accounts:grant_list", ()),
    ("accounts:user_list", ()),
    ("accounts:user_detail", ("users.bkd",)),
    ("accounts:grant_create", ()),
    ("organisations:employee_create", ()),
    ("organisations:unit_update", ("agency_a",)),
    ("organisations:unit_create", ("agency_a",)),
]


def resolve(world, name: str):
    if name.startswith("users."):
        return world.users[name.removeprefix("users.")].pk
    return getattr(world, name).pk


def with_language(client, lang):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def landmarks(body: str) -> dict[str, int]:
    return {
        tag: len(re.findall(rf"<{tag}[\s>]", body))
        for tag in ("h1", "header", "nav", "main", "footer")
    }


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_has_landmarks_one_h1_a_skip_link_and_the_icon(world, login, name, args):
    client = login(world.users["system_admin"])
    response = client.get(reverse(name, args=[resolve(world, a) for a in args]))
    assert response.status_code == 200
    body = response.content.decode()

    assert landmarks(body) == {"h1": 1, "header": 1, "nav": 1, "main": 1, "footer": 1}
    assert '<main id="main" tabindex="-1">' in body
    assert '<a href="#main" class="skip-link">Langsung ke isi utama</a>' in body
    assert 'href="/static/kinerja/favicon.svg" type="image/svg+xml"' in body
    assert 'href="/static/kinerja/favicon.ico" sizes="32x32"' in body
    assert 'href="/static/kinerja/apple-touch-icon.png"' in body


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_error_and_sign_in_pages_have_landmarks_and_one_h1(status):
    from django.template.loader import render_to_string

    body = render_to_string(f"{status}.html")
    assert landmarks(body) == {"h1": 1, "header": 1, "nav": 0, "main": 1, "footer": 1}
    assert 'href="/static/kinerja/favicon.svg"' in body


# The instansi on the sign-in page ------------------------------------------------------------


def test_sign_in_page_names_the_one_instansi(db):
    InstansiFactory(code="jatim", name="Pemerintah Provinsi Jawa Timur")

    body = Client().get(reverse("accounts:login")).content.decode()

    assert 'data-testid="login-instansi">Pemerintah Provinsi Jawa Timur<' in body
    assert landmarks(body)["h1"] == 1 and landmarks(body)["main"] == 1


def test_sign_in_page_names_no_instansi_when_several_share_the_deployment(world):
    assert Instansi.objects.count() == 2

    body = Client().get(reverse("accounts:login")).content.decode()

    assert "login-instansi" not in body
    assert "Pemerintah Kota Malang" not in body


def test_the_setting_names_the_instansi_whatever_the_database_holds(world, settings):
    settings.KINERJA_INSTANSI_NAME = "Pemerintah Provinsi Jawa Timur"

    body = Client().get(reverse("accounts:login")).content.decode()

    assert 'data-testid="login-instansi">Pemerintah Provinsi Jawa Timur<' in body


# Dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("id", "1 Januari 2017 · 17 Agustus 2045, 09.05"),
        ("en", "1 January 2017 · 17 August 2045, 09:05"),
    ],
)
def test_one_date_format_per_language(lang, text):
    template = Template('{{ day|date }} · {{ moment|date:"DATETIME_FORMAT" }}')
    with translation.override(lang):
        out = template.render(
            Context({"day": dt.date(2017, 1, 1), "moment": dt.datetime(2045, 8, 17, 9, 5)})
        )
    assert out == text


def test_grant_and_token_pages_show_dates_in_words(world, login):
    grant = RoleAssignment.objects.get(user=world.users["evaluator"])
    grant.valid_from = dt.date(2017, 1, 1)
    grant.save()
    client = login(world.users["system_admin"])

    body = client.get(reverse("accounts:grant_list")).content.decode()
    assert "<td>1 Januari 2017</td>" in body
    assert "01-01-2017" not in body

    body = with_language(client, "en").get(reverse("accounts:grant_list")).content.decode()
    assert "<td>1 January 2017</td>" in body


def test_date_inputs_carry_iso_values_in_every_language():
    """A date input's value is ISO whatever the language: the browser shows it its own way."""
    from kinerja.accounts.forms import RoleGrantEndForm, RoleGrantForm
    from kinerja.organisations.forms import DATE_WIDGET

    widgets = [
        RoleGrantForm.base_fields["valid_from"].widget,
        RoleGrantForm.base_fields["valid_to"].widget,
        RoleGrantEndForm.base_fields["on"].widget,
        DATE_WIDGET,
    ]
    for lang in ("id", "en"):
        with translation.override(lang):
            for widget in widgets:
                assert widget.format_value(dt.date(2017, 1, 1)) == "2017-01-01"
                assert 'value="2017-01-01"' in widget.render("d", dt.date(2017, 1, 1))


# NIP -------------------------------------------------------------------------------------------


def test_nip_groups_birth_date_appointment_sex_and_sequence():
    assert format_nip("198001012005011001") == "19800101 200501 1 001"
    assert format_nip("") == "" and format_nip(None) == ""
    assert format_nip("12345") == "12345"  # not a NIP: shown as it is


def test_nip_reads_grouped_on_the_list_the_record_home_and_the_audit_trail(world, login):
    nip = world.staff_a.nip
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    admin = login(world.users["opd_admin"])

    listing = admin.get(reverse("organisations:employee_list")).content.decode()
    assert f'<td class="nip">{grouped}</td>' in listing
    assert f">{nip}<" not in listing
    record_page = admin.get(reverse("organisations:employee_detail", args=[world.staff_a.pk]))
    assert grouped in record_page.content.decode()

    home = login(world.users["employee"]).get(reverse("core:home")).content.decode()
    assert f'<div class="nip text-secondary">{grouped}</div>' in home

    event = record(
        actor=None,
        action="employee.update",
        target=world.staff_a,
        changes={"nip": ["198001012005011001", nip]},
    )
    describe_events([event])
    assert event.change_rows[0]["old"] == "19800101 200501 1 001"
    assert event.change_rows[0]["new"] == grouped


def test_exports_keep_the_nip_plain_so_they_import_again(world, login):
    client = login(world.users["opd_admin"])
    response = client.get(reverse("organisations:employee_export"), {"format": "csv"})
    text = (
        b"".join(response.streaming_content).decode("utf-8-sig")
        if response.streaming
        else response.content.decode("utf-8-sig")
    )

    assert world.staff_a.nip in text
    assert format_nip(world.staff_a.nip) not in text


# API links -------------------------------------------------------------------------------------

TOKENS = 'href="/accounts/tokens/"'
DOCS = 'href="/api/docs/"'


@pytest.mark.parametrize(
    ("role", "shown"),
    [("system_admin", True), ("bkd", False), ("employee", False), ("opd_admin", False)],
)
def test_api_links_show_to_api_roles_only(world, login, role, shown):
    body = login(world.users[role]).get(reverse("core:home")).content.decode()

    assert (body.count(TOKENS) == 2) is shown  # the user menu and the home list
    assert (TOKENS in body) is shown
    assert (DOCS in body) is shown  # the API entry of the main menu


def test_api_links_show_to_a_token_holder_until_the_token_is_revoked(world, login):
    user = world.users["bkd"]
    client = login(user)
    token, _raw = services.token_create(actor=user, user=user, name="SIMPEG", days=30)

    body = client.get(reverse("core:home")).content.decode()
    assert body.count(TOKENS) == 2 and DOCS in body

    services.token_revoke(actor=user, token=token)
    body = client.get(reverse("core:home")).content.decode()
    assert TOKENS not in body and DOCS not in body
    # The page itself stays open: a user told to make a first token finds it by its address.
    assert client.get(reverse("accounts:token_list")).status_code == 200


def test_a_system_admin_needs_no_query_for_the_api_link(world, login, django_assert_num_queries):
    from kinerja.accounts.context_processors import uses_api
    from kinerja.accounts.scope import scope_for

    admin = world.users["system_admin"]
    scope = scope_for(admin)
    with django_assert_num_queries(0):
        assert uses_api(admin, scope) is True
    assert Role.SYSTEM_ADMIN in scope.roles


@pytest.mark.parametrize(
    ("lang", "fmt"), [("id", "[$-421]d mmmm yyyy"), ("en", "[$-809]d mmmm yyyy")]
)
def test_excel_export_shows_dates_in_words_and_keeps_them_dates(world, login, lang, fmt):
    """Birth dates of bkd's 4 people: 1 January 1990 (Agus Salim), 14 March 1985 (the others)."""
    import io

    import openpyxl
    import python_calamine

    client = with_language(login(world.users["bkd"]), lang)
    response = client.get(reverse("organisations:employee_export"))
    data = b"".join(response.streaming_content) if response.streaming else response.content

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.is_date]
    assert sorted((c.value.date(), c.number_format) for c in cells) == [
        *[(dt.date(1985, 3, 14), fmt)] * 3,
        (dt.date(1990, 1, 1), fmt),
    ]
    rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    assert dt.date(1990, 1, 1) in [v for row in rows.to_python() for v in row]


def test_the_api_question_is_asked_once_per_page(world, login):
    """The menu entry, the user menu and the home list share one look at the tokens."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users["bkd"])
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("core:home")).content.decode()

    assert TOKENS not in body
    assert sum("accounts_apitoken" in q["sql"] for q in queries.captured_queries) == 1
