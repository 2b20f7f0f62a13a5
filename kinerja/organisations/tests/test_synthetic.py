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


TODAY = dt.date(2026, 11, 28)  # the day nobody active may be past BUP


@pytest.fixture
def province(jatim):
    synthetic.generate_province(jatim, staff=500, seed=7, today=TODAY)
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


def test_61_agencies_and_biro_each_headed_by_a_jpt_pratama(province):
    agencies = OrgUnit.objects.filter(instansi=province, parent__isnull=True)
    # 61 JPT Pratama posts: 51 agencies and the Setda's 10 Biro; the Setda is the 52nd agency.
    assert agencies.count() == 52
    assert sorted(agencies.values_list("code", flat=True))[:2] == ["OPD01", "OPD02"]
    heads = synthetic.agency_heads(province)
    assert heads.count() == 61
    assert {h.position.kind for h in heads} == {PositionKind.JPT_PRATAMA}
    assert {h.position.eselon for h in heads} == {"II.a", "II.b"}
    assert all(h.status == EmployeeStatus.PNS and h.grade.startswith("IV/") for h in heads)
    assert OrgUnit.objects.get(instansi=province, name="Dinas Pendidikan").code == "OPD04"


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
    assert kinds["bidang"] + kinds["sekretariat"] + kinds["bagian"] > 52
    assert kinds["seksi"] > 0 and kinds["subbagian"] > 0 and kinds["cabdin"] > 0
    # Section head -> division head -> agency head.
    section_head = (
        Position.objects.filter(
            instansi=province,
            is_head=True,
            unit__depth=2,
            unit__kind__in=["seksi", "subbagian"],
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
        OrgUnit.objects.filter(instansi=province, kind__in=["upt", "cabdin"]).values_list(
            "region__code", flat=True
        )
    )
    assert upt_regions and all(code.startswith("35.") for code in upt_regions)


def test_each_employee_sits_in_their_posts_unit_with_one_open_assignment(province):
    staff = Employee.objects.filter(instansi=province)
    assert not staff.exclude(unit=F("position__unit")).exists()
    # The active staff hold one open assignment each; those transferred out (the Plt post's
    # holder and one pengawas in VACANT_PENGAWAS_EVERY) hold a closed one.
    active = staff.filter(is_active=True).count()
    left = staff.filter(is_active=False)
    assert 500 - active == left.count() >= 1
    open_ = Assignment.objects.filter(instansi=province, valid_to__isnull=True)
    assert open_.count() == active and not open_.filter(employee__is_active=False).exists()
    ends = set(Assignment.objects.filter(employee__in=left).values_list("valid_to", flat=True))
    assert ends <= {synthetic.PLT_FROM - dt.timedelta(days=1), synthetic.VACATED_ON}
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
    call_command(
        "load_demo",
        staff=300,
        seed=3,
        organisation_only=True,
        verbosity=1,
        stdout=out,
        stderr=StringIO(),
    )
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
    call_command("load_demo", staff=300, seed=3, organisation_only=True, verbosity=0)
    assert _snapshot(jatim) == before
    assert Region.objects.count() == 39

    call_command("load_demo", staff=400, seed=3, organisation_only=True, reset=True, verbosity=0)
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


def test_the_setda_holds_the_biro_and_the_kinds_follow_the_names(province):
    units = OrgUnit.objects.filter(instansi=province)
    setda = units.get(parent__isnull=True, kind="setda")
    assert (setda.code, setda.name) == ("OPD01", "Sekretariat Daerah Provinsi Jawa Timur")
    sekda = Position.objects.get(unit=setda, is_head=True)
    assert (sekda.kind, sekda.eselon) == (PositionKind.JPT_MADYA, "I.b")
    biro = units.filter(kind="biro")
    assert biro.count() == 10
    assert set(biro.values_list("parent_id", flat=True)) == {setda.pk}
    assert set(biro.values_list("agency_id", flat=True)) == {setda.pk}
    organisasi = biro.get(name="Biro Organisasi")
    assert organisasi.code.startswith("OPD01-R")
    head = Position.objects.get(unit=organisasi, is_head=True)
    assert head.kind == PositionKind.JPT_PRATAMA and head.reports_to == sekda
    assert units.get(name="Satuan Polisi Pamong Praja").kind == "satpol_pp"
    assert units.get(name="Sekretariat DPRD").kind == "setwan"
    assert units.get(name="RS Jiwa Menur").kind == "rs_khusus"
    assert units.get(name="RSUD Dr. Soetomo").kind == "rsud"
    # A Subbagian is no longer typed Seksi, a Bagian no longer Bidang.
    assert not units.filter(kind="seksi", name__startswith="Subbagian").exists()
    assert not units.filter(kind="bidang", name__startswith="Bagian").exists()
    assert not units.filter(kind="upt", name__startswith="Cabang Dinas").exists()


def test_units_sort_in_the_official_order(province):
    tops = list(
        OrgUnit.objects.filter(instansi=province, parent__isnull=True)
        .order_by("sort_key")
        .values_list("kind", flat=True)
    )
    assert tops[:3] == ["setda", "setwan", "inspektorat"]
    order = ["setda", "setwan", "inspektorat", "dinas", "badan", "rsud", "rs_khusus", "satpol_pp"]
    ranks = [order.index(kind) for kind in tops]
    assert ranks == sorted(ranks)
    # Depth-first: each unit's subtree follows it; the Biro come right after the Setda.
    ordered = list(OrgUnit.objects.filter(instansi=province).order_by("sort_key"))
    setda = ordered[0]
    in_setda = [u for u in ordered if u.path.startswith(setda.path)]
    assert ordered[: len(in_setda)] == in_setda
    assert [u.kind for u in in_setda if u.depth == 1] == ["biro"] * 10
    paths = [u.path for u in ordered]
    for i, unit in enumerate(ordered):
        subtree = [p for p in paths if p.startswith(unit.path)]
        assert paths[i : i + len(subtree)] == subtree


def test_grades_fit_the_status_and_carry_a_tmt(province):
    from kinerja.organisations.choices import grade_status

    staff = Employee.objects.filter(instansi=province)
    for status, grade, tmt, nip in staff.values_list("status", "grade", "grade_tmt", "nip"):
        if status == EmployeeStatus.NON_ASN:
            assert (grade, tmt) == ("", None)
            continue
        assert grade_status(grade) == status
        appointed = parse_nip(nip, pppk=status == EmployeeStatus.PPPK).appointment_year
        assert appointed <= tmt.year and tmt <= synthetic.AS_OF


def test_nobody_active_is_past_the_retirement_age_of_their_post(province):
    from kinerja.organisations.retirement import bup_age, retirement_date

    staff = Employee.objects.filter(
        instansi=province, is_active=True, status__in=["pns", "pppk"]
    ).select_related("position")
    ages = Counter()
    for e in staff:
        age = bup_age(e.position.kind, e.position.eselon, e.position.title, on=TODAY)
        assert retirement_date(e.birth_date, age) >= TODAY, (e.position.title, e.birth_date)
        ages[age] += 1
    assert ages[58] and ages[60]  # administrative and JPT / madya posts both occur
    # The head of Dinas Pendidikan (JPT, BUP 60) is younger than 60 on TODAY.
    head = Employee.objects.get(
        instansi=province, position__is_head=True, unit__name="Dinas Pendidikan"
    )
    assert retirement_date(head.birth_date, 60) >= TODAY


def test_the_demo_shows_a_plt_in_a_vacant_head_post_and_vacant_pengawas_posts(province):
    from kinerja.organisations import selectors
    from kinerja.organisations.leadership import held
    from kinerja.organisations.models import ActingAssignment, Position

    acting = ActingAssignment.objects.get(instansi=province)
    assert (acting.kind, acting.valid_from, acting.valid_to) == ("plt", synthetic.PLT_FROM, None)
    post = acting.position
    assert post.is_head and not Employee.objects.filter(position=post, is_active=True).exists()
    # The post's reports answer to the Plt, who holds the post in the period.
    holders = selectors.holders_of(post, dt.date(2026, 1, 5))
    assert [(h.employee, h.acting) for h in holders] == [(acting.employee, "plt")]
    vacant = Position.objects.filter(instansi=province, kind="pengawas", is_active=True).exclude(
        held()
    )
    pengawas = Position.objects.filter(instansi=province, kind="pengawas").count()
    assert vacant.count() == pengawas // synthetic.VACANT_PENGAWAS_EVERY
