import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import translation

from kinerja.audit.models import AuditEvent
from kinerja.organisations import reference, synthetic
from kinerja.organisations.choices import EmployeeStatus, PositionKind
from kinerja.organisations.models import Assignment, Employee, Instansi, OrgUnit, Position, Region
from kinerja.organisations.tests.factories import InstansiFactory, OrgUnitFactory
from kinerja.organisations.validators import parse_nip

pytestmark = pytest.mark.django_db


@pytest.fixture
def jatim():
    instansi, _created = reference.ensure_jatim()
    return instansi


@pytest.fixture
def province(jatim):
    synthetic.generate_province(jatim, staff=500, seed=7)
    return jatim


def _snapshot(instansi):
    staff = Employee.objects.filter(instansi=instansi).values_list(
        "nip", "name", "unit__code", "position__code", "grade"
    )
    units = OrgUnit.objects.filter(instansi=instansi).order_by("code")
    return sorted(staff, key=str), list(units.values_list("code", "name"))


def test_same_seed_gives_the_same_province(jatim):
    synthetic.generate_province(jatim, staff=500, seed=7)
    first = _snapshot(jatim)
    synthetic.wipe_province(jatim)
    assert not Employee.objects.filter(instansi=jatim).exists()
    synthetic.generate_province(jatim, staff=500, seed=7)
    assert _snapshot(jatim) == first
    nips = [row[0] for row in first[0] if row[0]]
    assert len(nips) == 425  # PNS and PPPK: 85% of 500

    synthetic.wipe_province(jatim)
    synthetic.generate_province(jatim, staff=500, seed=8)
    assert _snapshot(jatim)[0] != first[0]


def test_61_agencies_each_headed_by_a_jpt_pratama(province):
    agencies = OrgUnit.objects.filter(instansi=province, parent__isnull=True)
    assert agencies.count() == 61
    assert sorted(agencies.values_list("code", flat=True))[:2] == ["OPD01", "OPD02"]
    heads = synthetic.agency_heads(province)
    assert heads.count() == 61
    assert {h.position.kind for h in heads} == {PositionKind.JPT_PRATAMA}
    assert {h.position.eselon for h in heads} == {"II.a", "II.b"}
    assert all(h.status == EmployeeStatus.PNS and h.grade.startswith("IV/") for h in heads)
    assert OrgUnit.objects.get(instansi=province, name="Dinas Pendidikan").code == "OPD13"


def test_every_nip_is_valid_unique_and_matches_the_person(province):
    rows = list(
        Employee.objects.filter(instansi=province).values_list("nip", "status", "sex", "birth_date")
    )
    assert len(rows) == 500
    nips = [nip for nip, status, *_ in rows if status != EmployeeStatus.NON_ASN]
    assert len(nips) == len(set(nips)) == 425
    for nip, status, sex, birth in rows:
        if status == EmployeeStatus.NON_ASN:
            assert nip is None
            continue
        parts = parse_nip(nip, pppk=status == EmployeeStatus.PPPK)
        assert (parts.sex, parts.birth_date) == (sex, birth)
        assert 1965 <= birth.year <= 2000
        assert parts.appointment_year >= birth.year + 18
        if status == EmployeeStatus.PPPK:
            assert nip[12:14] == "21" and parts.appointment_month is None


def test_status_split_is_70_15_15_and_asn_have_grades(province):
    counts = Counter(Employee.objects.filter(instansi=province).values_list("status", flat=True))
    assert counts == {"pns": 350, "pppk": 75, "non_asn": 75}
    staff = Employee.objects.filter(instansi=province)
    assert not staff.exclude(status=EmployeeStatus.NON_ASN).filter(grade="").exists()
    assert not staff.filter(status=EmployeeStatus.NON_ASN).exclude(grade="").exists()
    assert not staff.filter(is_synthetic=False).exists()


def test_structure_paths_and_chains(province):
    units = {u.pk: u for u in OrgUnit.objects.filter(instansi=province)}
    assert all(u.is_synthetic for u in units.values())
    for unit in units.values():
        parent = units.get(unit.parent_id)
        if parent is None:
            assert (unit.path, unit.depth, unit.agency_id) == (f"{unit.pk:08d}.", 0, unit.pk)
        else:
            assert unit.path == f"{parent.path}{unit.pk:08d}."
            assert unit.depth == parent.depth + 1
            assert unit.agency_id == parent.agency_id
            assert unit.code.startswith(f"{parent.code}-")
    kinds = Counter(u.kind for u in units.values())
    assert kinds["bidang"] + kinds["sekretariat"] > 61 and kinds["seksi"] > 0 and kinds["upt"] > 0
    # Section head -> division head -> agency head.
    section_head = (
        Position.objects.filter(
            instansi=province,
            is_head=True,
            unit__depth=2,
            unit__parent__parent__parent__isnull=True,
        )
        .select_related("reports_to__reports_to")
        .first()
    )
    assert section_head.kind == PositionKind.PENGAWAS
    assert section_head.reports_to.kind == PositionKind.ADMINISTRATOR
    assert section_head.reports_to.reports_to.kind == PositionKind.JPT_PRATAMA
    assert section_head.reports_to.reports_to.reports_to is None
    # Every post reports to the head of its own unit, or of the parent unit for a head.
    for post in Position.objects.filter(instansi=province, is_head=False).select_related(
        "reports_to"
    ):
        assert post.reports_to.is_head and post.reports_to.unit_id == post.unit_id
    upt_regions = set(
        OrgUnit.objects.filter(instansi=province, kind="upt").values_list("region__code", flat=True)
    )
    assert upt_regions and all(code.startswith("35.") for code in upt_regions)


def test_each_employee_sits_in_their_posts_unit_with_one_open_assignment(province):
    staff = Employee.objects.filter(instansi=province)
    assert not staff.exclude(unit=F("position__unit")).exists()
    assert Assignment.objects.filter(instansi=province, valid_to__isnull=True).count() == 500
    assert (
        not Assignment.objects.filter(instansi=province)
        .exclude(unit=F("employee__unit"), position=F("employee__position"))
        .exists()
    )
    starts = Assignment.objects.filter(instansi=province).values_list("valid_from", flat=True)
    assert max(starts) < dt.date(2023, 1, 11)  # in post when the 2023 refreshment opened


@translation.override("en")
def test_generator_refuses_an_instansi_with_units_and_too_few_staff(province):
    with pytest.raises(ValueError, match="already has units"):
        synthetic.generate_province(province, staff=500, seed=7)
    other = InstansiFactory(code="kab-x", region=province.region)
    with pytest.raises(ValueError, match="at least 200"):
        synthetic.generate_province(other, staff=150, seed=1)


@translation.override("en")
def test_wipe_keeps_real_data(province):
    OrgUnitFactory(instansi=province, code="REAL", name="Unit nyata")
    with pytest.raises(ValueError, match="not synthetic"):
        synthetic.wipe_province(province)
    assert Employee.objects.filter(instansi=province).count() == 500


def test_generation_and_wipe_are_audited(province):
    event = AuditEvent.objects.get(action="organisations.generate")
    assert event.instansi_id == province.pk
    assert event.changes["staff"] == [None, 500]
    synthetic.wipe_province(province)
    event = AuditEvent.objects.get(action="organisations.wipe")
    assert event.changes["employees"] == [500, 0]


@translation.override("en")
def test_read_regions_rejects_a_code_of_the_wrong_level(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("code,name,kind\n35,Jawa Timur,province\n35.73,Kabupaten Kediri,regency\n")
    with pytest.raises(ValueError, match="line 3"):
        reference.read_regions(path)


def test_load_demo_loads_the_regions_instansi_and_province():
    out = StringIO()
    call_command("load_demo", staff=300, seed=3, verbosity=1, stdout=out, stderr=StringIO())
    province = Region.objects.get(code="35")
    assert province.parent is None and province.level == "province"
    assert Region.objects.filter(parent=province).count() == 38
    assert Region.objects.filter(parent=province, level="city").count() == 9
    assert Region.objects.get(code="35.73").name == "Kota Malang"
    jatim = Instansi.objects.get(code="jatim")
    assert (jatim.name, jatim.region.code) == ("Pemerintah Provinsi Jawa Timur", "35")
    assert Employee.objects.filter(instansi=jatim).count() == 300
    assert "300" in out.getvalue()

    before = _snapshot(jatim)
    call_command("load_demo", staff=300, seed=3, verbosity=0)
    assert _snapshot(jatim) == before
    assert Region.objects.count() == 39

    call_command("load_demo", staff=400, seed=3, reset=True, verbosity=0)
    assert Employee.objects.filter(instansi=jatim).count() == 400


@translation.override("en")
def test_generate_province_command_refuses_without_reset(jatim):
    call_command("generate_province", staff=250, seed=2, verbosity=0)
    assert Employee.objects.filter(instansi=jatim).count() == 250
    with pytest.raises(CommandError, match="--reset"):
        call_command("generate_province", staff=250, seed=2, verbosity=0)
    call_command("generate_province", staff=300, seed=2, reset=True, verbosity=0)
    assert Employee.objects.filter(instansi=jatim).count() == 300
    with pytest.raises(CommandError):
        call_command("generate_province", staff=300, instansi="nowhere", verbosity=0)
