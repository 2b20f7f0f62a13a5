"""/api/v1/me/, the OpenAPI schema and docs, and the create_api_token command."""

import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.utils import translation
from rest_framework.test import APIClient

from kinerja.accounts.models import ApiToken
from kinerja.audit.models import AuditEvent

ME = "/api/v1/me/"


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_me_for_an_agency_administrator(world):
    data = signed_in(world.users["opd_admin"]).get(ME).json()

    assert data["username"] == "opd_admin"
    assert data["instansi"] == {
        "id": world.instansi.pk,
        "code": "jatim",
        "name": "Pemerintah Provinsi Jawa Timur",
    }
    assert data["employee"] is None
    assert data["roles"] == ["opd_admin"]
    assert data["grants"] == [
        {
            "role": "opd_admin",
            "unit": {"id": world.agency_a.pk, "code": "DIKBUD", "name": "Dinas Pendidikan"},
            "actions": [
                "change_org",
                "change_people",
                "export",
                "import",
                "manage_access",
                "manage_plans",
                "nominate",
                "view_audit",
                "view_org",
                "view_people",
                "view_planning",
            ],
        }
    ]


def test_me_for_an_employee_shows_their_record_and_no_grants(world):
    data = signed_in(world.users["employee"]).get(ME).json()

    assert data["roles"] == ["employee"]
    assert data["grants"] == []
    assert data["actions"] == []
    assert data["employee"]["name"] == "Siti Aminah"
    assert data["employee"]["nip"] == world.staff_a.nip
    assert data["employee"]["unit"]["code"] == "DIKBUD-SMA"
    assert data["employee"]["position"]["code"] == "DIKBUD-SMA-01"


def test_me_for_an_instansi_wide_role(world):
    data = signed_in(world.users["inspektorat"]).get(ME).json()

    assert data["grants"][0]["unit"] is None
    assert "view_audit" in data["actions"]
    assert "change_people" not in data["actions"]


def test_me_needs_credentials(world):
    assert APIClient().get(ME).status_code == 401


def test_schema_generates_without_warnings(db):
    out = io.StringIO()

    # --fail-on-warn raises on any warning or error in schema generation.
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)

    schema = out.getvalue()
    assert "apiToken:" in schema
    assert "scheme: bearer" in schema
    assert "operationId: units_close" in schema
    assert "operationId: employees_list" in schema


def test_schema_endpoint_serves_openapi(db):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/units/{id}/close/" in paths
    assert "delete" not in paths["/api/v1/employees/{id}/"]


def test_docs_page_loads_only_local_assets(db):
    html = APIClient().get("/api/docs/").content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) == 4
    for url in assets:
        assert url.startswith("/static/drf_spectacular_sidecar/"), url
        assert finders.find(url.removeprefix("/static/")) is not None, url
    assert 'url: "/api/schema/"' in html
    assert "http://" not in html
    assert "https://" not in html


def test_create_api_token_prints_a_working_key_once(world):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "create_api_token", "opd_admin", "--name", "SIMPEG", "--days", "30", stdout=out, stderr=err
    )

    raw = out.getvalue().strip()
    assert raw.startswith("kin_")
    assert "SIMPEG" in err.getvalue()
    assert raw not in err.getvalue()
    token = ApiToken.objects.get(user=world.users["opd_admin"])
    assert token.name == "SIMPEG"
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    assert AuditEvent.objects.filter(action="token.create").count() == 1
    response = APIClient().get("/api/v1/employees/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["count"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "x"], "No user 'nobody'."),
        (["bkd", "--name", "x", "--days", "400"], "A token lasts from 1 to 366 days."),
        (["bkd", "--name", " "], "Give the token a name."),
    ],
)
def test_create_api_token_refuses_bad_input(world, args, message):
    with translation.override("en"), pytest.raises(CommandError, match=re.escape(message)):
        call_command("create_api_token", *args, stdout=io.StringIO(), stderr=io.StringIO())

    assert not ApiToken.objects.exists()
