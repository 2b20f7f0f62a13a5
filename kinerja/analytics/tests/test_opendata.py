"""The open-data export on the ``lk`` world: the fields of Satu Data Indonesia's principles,
the metadata block, CSV with a header and ISO dates, the goal tree's indicators only, within
the reader's reach."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.analytics.opendata import COLUMNS, OpenDataExport

from .reports_fixtures import lk_fixture, pk, plan, rl_fixture, scopes  # noqa: F401 - fixtures


def test_rows_are_the_roll_ups_with_their_reference_codes(lk, world):
    export = OpenDataExport(scope_for(world.users["bappeda"]), 2023)
    rows = list(export.records())
    dik = [r for r in rows if r["indicator_code"] == "DIK-01"]
    # The year, then the two verified quarters.
    assert [r["sub_period"] for r in dik] == [0, 1, 2]
    year = dik[0]
    assert (str(year["target"]), str(year["realisation"]), str(year["achievement_percent"])) == (
        "85",
        "88",
        "103.53",
    )
    assert (year["period_start"], year["period_end"]) == ("2023-01-01", "2023-12-31")
    assert (dik[1]["period_start"], str(dik[1]["achievement_percent"])) == ("2023-01-01", "94.12")
    assert (year["producer_code"], year["producer_name"]) == ("DIKBUD", "Dinas Pendidikan")
    assert year["region_code"] == "35"
    assert (year["polarity"], year["aggregation"], year["plan_level"]) == (
        "higher_is_better",
        "last_value",
        "renstra",
    )
    assert year["goal_code"] == "DIK.T1.S1"
    assert dt.datetime.fromisoformat(year["updated_at"]).tzinfo is not None
    iku = next(r for r in rows if r["indicator_code"] == "IKU-01")
    assert (iku["plan_level"], iku["producer_code"], iku["achievement_percent"]) == (
        "rpjmd",
        "",
        None,
    )
    assert iku["not_computed_reason"] == "no_realisation"
    assert {r["indicator_code"] for r in rows} == {"DIK-01", "KES-01", "KES-K1", "IKU-01"}


def test_the_json_carries_the_metadata_and_the_field_dictionary(lk, client, world):
    client.force_login(world.users["leadership"])
    data = client.get(reverse("analytics:report_open_data_json") + "?year=2023").json()
    meta = data["metadata"]
    assert meta["publisher"] == "Pemerintah Provinsi Jawa Timur"
    assert meta["licence"] == "CC-BY-4.0"
    assert meta["standard"] == "Perpres 39/2019 Satu Data Indonesia"
    assert [f["name"] for f in meta["fields"]] == list(COLUMNS)
    types = {f["name"]: f["type"] for f in meta["fields"]}
    assert (types["achievement_percent"], types["period_start"], types["is_key"]) == (
        "number",
        "date",
        "boolean",
    )
    assert meta["rows"] == len(data["data"])
    year = next(r for r in data["data"] if r["indicator_code"] == "DIK-01")
    assert (year["achievement_percent"], year["target"]) == (103.53, 85)
    api = client.get(reverse("api:open-data-indicators-json") + "?year=2023").json()
    assert api["data"] == data["data"]


def test_the_csv_has_a_header_iso_dates_and_neutralised_text(lk, client, world):
    lk.plan.ind_a.definition = "=cmd|' /C calc'!A0"
    lk.plan.ind_a.save(update_fields=["definition"])
    client.force_login(world.users["bappeda"])
    response = client.get(reverse("analytics:report_open_data_csv") + "?year=2023")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == list(COLUMNS)
    record = dict(zip(rows[0], rows[1 + [r[0] for r in rows[1:]].index("DIK-01")], strict=True))
    assert record["period_start"] == "2023-01-01"
    assert record["achievement_percent"] == "103.53"
    assert record["definition"].startswith("'=")
    assert record["is_key"] == "true"


def test_an_agency_head_reads_its_agency_and_the_province_only(lk, client, world):
    rows = list(OpenDataExport(scope_for(world.users["opd_head"]), 2023).records())
    assert {r["indicator_code"] for r in rows} == {"DIK-01", "IKU-01"}
    client.force_login(world.users["employee"])
    assert client.get(reverse("analytics:report_open_data_csv")).status_code == 403
    client.logout()
    assert client.get(reverse("analytics:report_open_data_json")).status_code == 302
