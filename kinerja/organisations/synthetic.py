"""Generate a synthetic province: agencies, their units and posts, and staff, deterministically.

The agencies come from ``data/agencies_jatim.csv`` (real names, illustrative list; the Biro
stand under the Sekretariat Daerah) and the constant tables from ``data/synthetic_province.json``;
everything
below them is synthetic and marked ``is_synthetic=True``. The same seed gives the same names,
NIPs and codes. Rows are written with ``bulk_create`` in batches (no query per row), and obey the
rules the services apply one by one: tree paths as ``services.unit_path`` computes them, valid
and unique NIPs, one open assignment per employee, an employee's unit equal to their post's unit.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Case, F, ProtectedError, When
from django.utils import timezone
from django.utils.translation import gettext as _
from faker import Faker
from tqdm import tqdm

from kinerja.audit.services import record

from .choices import EmployeeStatus, Eselon, PositionKind, UnitKind
from .models import Assignment, Employee, Instansi, OrgUnit, Position, Region
from .nip import make_nip
from .retirement import bup_age, earliest_birth_in_service, retirement_date
from .services import unit_path, unit_sort_key
from .validators import PPPK_MONTH_MARKER

DATA_DIR = Path(__file__).resolve().parent / "data"
AGENCIES_CSV = DATA_DIR / "agencies_jatim.csv"

DEFAULT_STAFF = 80330  # ASN and non-ASN staff of Pemprov Jatim named at the 2023 refreshment
MIN_STAFF = 200  # enough for every agency to have a head and most a division
UNITS_FROM = dt.date(2017, 1, 1)  # Perda Jatim 11/2016 on the perangkat daerah took effect
AS_OF = dt.date(2022, 12, 30)  # every placement is open when the refreshment opened (11 Jan 2023)
BATCH = 2000
AGENCY_ESELONS = (Eselon.IB, Eselon.IIA, Eselon.IIB)  # Sekda (JPT Madya), JPT Pratama

# The constant tables (names, titles, post titles, shares, grades) are data: see the file.
PROVINCE_JSON = DATA_DIR / "synthetic_province.json"
_TABLES = json.loads(PROVINCE_JSON.read_text(encoding="utf-8"))


def _tuples(table: dict[str, list]) -> dict[str, tuple]:
    return {key: tuple(value) for key, value in table.items()}


STATUS_SHARES: dict[str, float] = _TABLES["status_shares"]
DEFAULT_DIVISIONS = _tuples(_TABLES["default_divisions"])
SECRETARIAT_SECTIONS = tuple(_TABLES["secretariat_sections"])
SECTION_THEMES = tuple(_TABLES["section_themes"])
UPT_SECTIONS = tuple(_TABLES["upt_sections"])
GENERAL_FUNCTIONAL = tuple(_TABLES["general_functional"])
DEFAULT_FUNCTIONAL = _tuples(_TABLES["default_functional"])
LEVELS = tuple(_TABLES["levels"])
PELAKSANA = tuple(_TABLES["pelaksana"])
NON_ASN_POSTS = tuple(_TABLES["non_asn_posts"])
# Share of a unit's PNS staff in functional posts (PPPK: FUNCTIONAL_SHARE_PPPK).
FUNCTIONAL_SHARE: dict[str, float] = _TABLES["functional_share"]
FUNCTIONAL_SHARE_DEFAULT: float = _TABLES["functional_share_default"]
FUNCTIONAL_SHARE_PPPK: float = _TABLES["functional_share_pppk"]
# Where an agency's staff sit, relative to one division.
STAFF_WEIGHT: dict[str, float] = _TABLES["staff_weight"]
PNS_GRADES = _tuples(_TABLES["pns_grades"])
PNS_PELAKSANA_GRADES = tuple(_TABLES["pns_pelaksana_grades"])
PPPK_GRADES = _tuples(_TABLES["pppk_grades"])
PPPK_PELAKSANA_GRADES = tuple(_TABLES["pppk_pelaksana_grades"])
HEAD_GRADES = _tuples(_TABLES["head_grades"])
HEAD_BIRTH_YEARS = _tuples(_TABLES["head_birth_years"])
HEAD_DEGREES = tuple(_TABLES["head_degrees"])
DEGREES = tuple(_TABLES["degrees"])
FUNCTIONAL_DEGREES = _tuples(_TABLES["functional_degrees"])
PELAKSANA_DEGREES = tuple(_TABLES["pelaksana_degrees"])
# Rank promotions take effect on these months' first day, one every so many years.
PROMOTION_MONTHS = tuple(_TABLES["promotion_months"])
PROMOTION_EVERY_YEARS: int = _TABLES["promotion_every_years"]


@dataclass(frozen=True)
class AgencySpec:
    """One row of the agency list."""

    key: str
    name: str
    short_name: str
    kind: str
    eselon: str
    head_title: str
    region: str
    weight: float
    upt: int
    upt_label: str
    divisions: tuple[str, ...]
    functional: tuple[str, ...]
    parent: str = ""  # the key of the unit it stands under (a Biro under the Setda)


def load_agencies(path: Path = AGENCIES_CSV) -> list[AgencySpec]:
    """Read the agency list, in file order (which sets the codes OPD01, OPD02, ...).

    A row with a ``parent`` (the key of an earlier row: a Biro under the Setda) is a unit of
    that agency, coded ``<parent code>-R01``, ``-R02``, ...
    """

    def split(text: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in (text or "").split("|") if p.strip())

    with open(path, newline="", encoding="utf-8") as handle:
        specs = [
            AgencySpec(
                key=r["key"],
                name=r["name"],
                short_name=r["short_name"],
                kind=r["kind"],
                eselon=r["eselon"],
                head_title=r["head_title"],
                region=r["region"],
                weight=float(r["weight"]),
                upt=int(r["upt"] or 0),
                upt_label=r["upt_label"] or f"UPT {r['short_name']}",
                divisions=split(r["divisions"]) or DEFAULT_DIVISIONS[r["kind"]],
                functional=split(r["functional"]) or DEFAULT_FUNCTIONAL.get(r["kind"], ()),
                parent=(r.get("parent") or "").strip(),
            )
            for r in csv.DictReader(handle)
        ]
    kinds = UnitKind.agency_kinds()
    seen: set[str] = set()
    for spec in specs:
        bad_parent = spec.parent and spec.parent not in seen
        seen.add(spec.key)
        if bad_parent or spec.kind not in kinds or spec.eselon not in AGENCY_ESELONS:
            raise ValueError(
                _("%(file)s: %(key)s has an unknown kind or eselon.")
                % {"file": path.name, "key": spec.key}
            )
    return specs


@dataclass
class GenerationResult:
    """What the generator wrote."""

    agencies: int = 0
    units: int = 0
    positions: int = 0
    employees: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        split = ", ".join(f"{k} {v}" for k, v in self.by_status.items())
        return _(
            "%(agencies)d agencies, %(units)d units, %(positions)d positions, "
            "%(employees)d staff (%(split)s) in %(seconds).1f s"
        ) % {
            "agencies": self.agencies,
            "units": self.units,
            "positions": self.positions,
            "employees": self.employees,
            "split": split,
            "seconds": self.seconds,
        }


@dataclass
class _Unit:
    """A unit to write, with what its head post needs."""

    code: str
    name: str
    kind: str
    region: str
    parent: _Unit | None
    head_title: str
    head_kind: str
    head_eselon: str
    short_name: str = ""
    obj: OrgUnit | None = None
    head: Position | None = None
    depth: int = 0
    staff_weight: float = 1.0
    menu: dict[str, tuple] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)


def _derive_seed(seed: int, instansi: Instansi) -> int:
    digest = hashlib.sha256(f"kinerja:{seed}:{instansi.code}".encode()).hexdigest()
    return int(digest[:15], 16)


def _split_staff(specs: list[AgencySpec], staff: int) -> list[int]:
    """Give each agency two people and the rest by weight (largest remainder: sums exactly)."""
    base = 2
    rest = staff - base * len(specs)
    total = sum(s.weight for s in specs)
    shares = [rest * s.weight / total for s in specs]
    counts = [int(x) for x in shares]
    order = sorted(range(len(specs)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: rest - sum(counts)]:
        counts[i] += 1
    return [base + c for c in counts]


def _head_title(name: str, agency: AgencySpec) -> str:
    if name == "Sekretariat":
        return f"Sekretaris {agency.name}"
    if name.startswith("Inspektorat Pembantu"):
        return name.replace("Inspektorat Pembantu", "Inspektur Pembantu", 1)
    return f"Kepala {name}"


def _division_kind(name: str) -> str:
    if name == "Sekretariat":
        return UnitKind.SECRETARIAT
    return UnitKind.BAGIAN if name.startswith("Bagian") else UnitKind.DIVISION


def _section_kind(name: str) -> str:
    return UnitKind.SUBBAGIAN if name.startswith("Subbagian") else UnitKind.SECTION


def _plan_agency(
    code: str,
    spec: AgencySpec,
    staff: int,
    kabkota: dict[str, str],
    rng: random.Random,
    parent: _Unit | None = None,
) -> list[_Unit]:
    """Return the agency's units, parents before children, sized to its staff.

    ``parent``: the unit it stands under (a Biro under the Setda); its head reports to that
    unit's head.
    """
    agency = _Unit(
        code=code,
        name=spec.name,
        short_name=spec.short_name,
        kind=spec.kind,
        region=spec.region,
        parent=parent,
        head_title=spec.head_title,
        head_kind=PositionKind.JPT_MADYA if spec.eselon == Eselon.IB else PositionKind.JPT_PRATAMA,
        head_eselon=spec.eselon,
        staff_weight=STAFF_WEIGHT["agency"],
    )
    units = [agency]
    n_div = 0 if staff < 3 else max(1, min(len(spec.divisions), round(staff / 60)))
    n_sec = min(3, staff // (max(n_div, 1) * 40))
    for d, name in enumerate(spec.divisions[:n_div], start=1):
        kind = _division_kind(name)
        division = _Unit(
            code=f"{code}-B{d:02d}",
            name=name,
            kind=kind,
            region=spec.region,
            parent=agency,
            head_title=_head_title(name, spec),
            head_kind=PositionKind.ADMINISTRATOR,
            head_eselon=Eselon.IIIA,
            staff_weight=STAFF_WEIGHT[kind],
        )
        units.append(division)
        if name.startswith("Inspektorat Pembantu"):
            continue  # an Irban works through auditors, not sections
        if kind == UnitKind.SECRETARIAT:
            names = SECRETARIAT_SECTIONS[:n_sec]
        else:
            prefix = "Subbagian" if name.startswith("Bagian") else "Seksi"
            names = tuple(
                f"{prefix} {SECTION_THEMES[(3 * d + j) % len(SECTION_THEMES)]}"
                for j in range(n_sec)
            )
        for s, sname in enumerate(names, start=1):
            units.append(
                _Unit(
                    code=f"{division.code}-S{s:02d}",
                    name=sname,
                    kind=_section_kind(sname),
                    region=spec.region,
                    parent=division,
                    head_title=f"Kepala {sname}",
                    head_kind=PositionKind.PENGAWAS,
                    head_eselon=Eselon.IVA,
                    staff_weight=STAFF_WEIGHT[_section_kind(sname)],
                )
            )
    n_upt = min(spec.upt, staff // 150, len(kabkota))
    n_upt_sec = 2 if staff >= 5000 else 1 if staff >= 600 else 0
    codes = sorted(kabkota)
    offset = rng.randrange(len(codes))
    upt_kind = UnitKind.CABANG_DINAS if spec.upt_label.startswith("Cabang Dinas") else UnitKind.UPT
    for u in range(n_upt):
        region = codes[(offset + u * len(codes) // n_upt) % len(codes)]
        name = f"{spec.upt_label} {kabkota[region]}"
        upt = _Unit(
            code=f"{code}-U{u + 1:02d}",
            name=name,
            kind=upt_kind,
            region=region,
            parent=agency,
            head_title=f"Kepala {name}",
            head_kind=PositionKind.ADMINISTRATOR,
            head_eselon=Eselon.IIIB,
            staff_weight=STAFF_WEIGHT[upt_kind],
        )
        units.append(upt)
        for s, sname in enumerate(UPT_SECTIONS[:n_upt_sec], start=1):
            units.append(
                _Unit(
                    code=f"{upt.code}-S{s:02d}",
                    name=sname,
                    kind=_section_kind(sname),
                    region=region,
                    parent=upt,
                    head_title=f"Kepala {sname}",
                    head_kind=PositionKind.PENGAWAS,
                    head_eselon=Eselon.IVA,
                    staff_weight=STAFF_WEIGHT[_section_kind(sname)],
                )
            )
    for unit in units:
        unit.depth = 0 if unit.parent is None else unit.parent.depth + 1
    return units


def _agency_codes(specs: list[AgencySpec]) -> list[str]:
    """Return each row's code: OPD01, OPD02, ... on top; <parent code>-R01, ... below one."""
    codes: dict[str, str] = {}
    below: dict[str, int] = {}
    top = 0
    for spec in specs:
        if spec.parent:
            below[spec.parent] = below.get(spec.parent, 0) + 1
            codes[spec.key] = f"{codes[spec.parent]}-R{below[spec.parent]:02d}"
        else:
            top += 1
            codes[spec.key] = f"OPD{top:02d}"
    return [codes[spec.key] for spec in specs]


class _People:
    """Draws people (name, sex, birth date, NIP, titles) from one seeded random source."""

    def __init__(self, rng: random.Random, seed: int, taken: set[str]):
        self.rng = rng
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.taken = taken
        self.sequence: dict[str, int] = {}

    def name(self, sex: str) -> str:
        fake = self.fake
        if sex == "m":
            first, last = fake.first_name_male(), fake.last_name_male()
        else:
            first, last = fake.first_name_female(), fake.last_name_female()
        if self.rng.random() < 0.25:
            middle = fake.first_name_male() if sex == "m" else fake.first_name_female()
            return f"{first} {middle} {last}"
        return f"{first} {last}"

    def date(self, first_year: int, last_year: int) -> dt.date:
        lo = dt.date(first_year, 1, 1).toordinal()
        hi = dt.date(last_year, 12, 31).toordinal()
        return dt.date.fromordinal(self.rng.randint(lo, hi))

    def date_between(self, lo: dt.date, hi: dt.date) -> dt.date:
        return dt.date.fromordinal(self.rng.randint(lo.toordinal(), max(lo, hi).toordinal()))

    def nip(self, birth: dt.date, year: int, month: int | None, sex: str) -> str:
        """Return a NIP not yet used; ``month=None`` gives a PPPK number (month digits "21")."""
        if month is None:
            # make_nip takes a real month; a PPPK number carries the marker in its place.
            base = make_nip(birth, dt.date(year, 1, 1), sex, 1)
            prefix = f"{base[:12]}{PPPK_MONTH_MARKER:02d}{base[14]}"
        else:
            prefix = make_nip(birth, dt.date(year, month, 1), sex, 1)[:15]
        seq = self.sequence.get(prefix, 0)
        while True:
            seq += 1
            nip = f"{prefix}{seq:03d}"
            if nip not in self.taken:
                break
        if seq > 999:
            raise ValueError(_("No NIP sequence left for %(prefix)s.") % {"prefix": prefix})
        self.sequence[prefix] = seq
        self.taken.add(nip)
        return nip

    def pns_appointment(self, birth: dt.date, last_year: int) -> tuple[int, int]:
        first = birth.year + 19  # appointed after the 18th birthday, as the NIP rules want
        year = min(birth.year + self.rng.randint(19, 32), max(last_year, first))
        return year, self.rng.randint(1, 12)


def _level(rng: random.Random, birth: dt.date) -> str:
    age = AS_OF.year - birth.year
    roll = rng.random()
    if age < 33:
        return LEVELS[0]
    if age < 45:
        return LEVELS[1] if roll < 0.6 else LEVELS[0]
    return LEVELS[2] if roll < 0.5 else LEVELS[1] if roll < 0.9 else LEVELS[0]


def _menu(spec: AgencySpec, rng: random.Random) -> dict[str, tuple]:
    """Pick the functional and staff posts a unit has (a few of each)."""
    own = list(spec.functional)
    jf = rng.sample(own, min(2, len(own))) if own else []
    general = [g for g in GENERAL_FUNCTIONAL if g not in jf]
    jf += rng.sample(general, 3 - len(jf)) if len(jf) < 3 else []
    weights = tuple(4.0 if j in own else 1.0 for j in jf)
    return {
        "jf": tuple(jf),
        "jf_weights": weights,
        "pelaksana": tuple(rng.sample(PELAKSANA, 3)),
        "non_asn": tuple(rng.sample(NON_ASN_POSTS, 2)),
    }


class _Writer:
    """Writes one province: units and head posts first, then each agency's staff in batches."""

    def __init__(self, instansi: Instansi, staff: int, seed: int, bar: tqdm, today: dt.date):
        self.instansi = instansi
        self.today = today
        self._ages: dict[tuple[str, str, str], int] = {}
        self.staff = staff
        derived = _derive_seed(seed, instansi)
        self.rng = random.Random(derived)
        taken = set(Employee.objects.exclude(nip=None).values_list("nip", flat=True).iterator())
        self.people = _People(self.rng, derived, taken)
        self.bar = bar
        self.result = GenerationResult()
        self.regions = dict(Region.objects.values_list("code", "pk"))

    def run(self, specs: list[AgencySpec]) -> GenerationResult:
        # The regencies and cities of the instansi's province, where the UPT are spread.
        kabkota = dict(
            Region.objects.filter(parent__code=self.instansi.region.code).values_list(
                "code", "name"
            )
        )
        if not kabkota:
            raise ValueError(_("Load the regions first (manage.py load_demo)."))
        budgets = _split_staff(specs, self.staff)
        plans: list[list[_Unit]] = []
        tops: dict[str, _Unit] = {}
        codes = _agency_codes(specs)
        for spec, budget, code in zip(specs, budgets, codes, strict=True):
            parent = tops[spec.parent] if spec.parent else None
            plans.append(_plan_agency(code, spec, budget, kabkota, self.rng, parent))
            tops[spec.key] = plans[-1][0]
        all_units = [u for units in plans for u in units]
        self._write_units(all_units)
        self._write_heads(all_units)
        statuses = self._staff_statuses(len(all_units))
        start = 0
        for spec, budget, units in zip(specs, budgets, plans, strict=True):
            count = budget - len(units)
            self._write_agency_staff(spec, units, statuses[start : start + count])
            start += count
        self.result.agencies = sum(1 for spec in specs if not spec.parent)
        self.result.units = len(all_units)
        return self.result

    def _staff_statuses(self, heads: int) -> list[str]:
        n_pppk = round(self.staff * STATUS_SHARES[EmployeeStatus.PPPK])
        n_non = round(self.staff * STATUS_SHARES[EmployeeStatus.NON_ASN])
        n_pns = self.staff - n_pppk - n_non
        if heads > n_pns:
            raise ValueError(
                _("%(heads)d head posts need more PNS than %(staff)d staff give.")
                % {"heads": heads, "staff": self.staff}
            )
        self.result.by_status = {
            EmployeeStatus.PNS.value: n_pns,
            EmployeeStatus.PPPK.value: n_pppk,
            EmployeeStatus.NON_ASN.value: n_non,
        }
        statuses = (
            [EmployeeStatus.PNS.value] * (n_pns - heads)
            + [EmployeeStatus.PPPK.value] * n_pppk
            + [EmployeeStatus.NON_ASN.value] * n_non
        )
        self.rng.shuffle(statuses)
        return statuses

    def _write_units(self, units: list[_Unit]) -> None:
        """Insert level by level; a unit's path needs its own key and its parent's path."""
        for depth in range(max(u.depth for u in units) + 1):
            level = [u for u in units if u.depth == depth]
            for u in level:
                u.obj = OrgUnit(
                    instansi=self.instansi,
                    code=u.code,
                    name=u.name,
                    short_name=u.short_name,
                    kind=u.kind,
                    parent=u.parent.obj if u.parent else None,
                    region_id=self.regions.get(u.region),
                    valid_from=UNITS_FROM,
                    path="",
                    depth=depth,
                    is_synthetic=True,
                )
            OrgUnit.objects.bulk_create([u.obj for u in level], batch_size=BATCH)
            for u in level:
                parent = u.parent.obj if u.parent else None
                u.obj.path = unit_path(u.obj)
                u.obj.agency_id = parent.agency_id if parent else u.obj.pk
                u.obj.sort_key = unit_sort_key(u.obj, parent.sort_key if parent else "")
            OrgUnit.objects.bulk_update(
                [u.obj for u in level], ["path", "agency", "sort_key"], batch_size=500
            )

    def _write_heads(self, units: list[_Unit]) -> None:
        for depth in range(max(u.depth for u in units) + 1):
            level = [u for u in units if u.depth == depth]
            for u in level:
                u.head = Position(
                    instansi=self.instansi,
                    unit=u.obj,
                    code=f"{u.code}-KA",
                    title=u.head_title,
                    kind=u.head_kind,
                    eselon=u.head_eselon,
                    is_head=True,
                    reports_to=u.parent.head if u.parent else None,
                )
            Position.objects.bulk_create([u.head for u in level], batch_size=BATCH)
        self.result.positions += len(units)

    def _in_service(self, birth: dt.date, kind: str, eselon: str, title: str) -> dt.date:
        """Return ``birth``, or a later one when the post's BUP would have retired them by today.

        Nobody past the retirement age of their post stays on the active list: a birth date
        that makes them so is drawn again between the earliest one still in service and the
        end of the range.
        """
        key = (kind, eselon, title)
        age = self._ages.get(key)
        if age is None:
            age = self._ages[key] = bup_age(kind, eselon, title, on=self.today)
        if retirement_date(birth, age) >= self.today:
            return birth
        lo = earliest_birth_in_service(self.today, age)
        return self.people.date_between(lo, max(lo, dt.date(lo.year + 12, 12, 31)))

    def _grade_tmt(self, appointed: dt.date) -> dt.date:
        """Return the date of the last rank promotion: 1 April or 1 October of a year at most
        PROMOTION_EVERY_YEARS before AS_OF; the appointment month when that falls before the
        appointment (the grade held since it) or after AS_OF."""
        rng = self.rng
        year = rng.randint(max(appointed.year, AS_OF.year - PROMOTION_EVERY_YEARS), AS_OF.year)
        tmt = dt.date(year, rng.choice(PROMOTION_MONTHS), 1)
        if tmt < appointed or tmt > AS_OF:
            return dt.date(appointed.year, appointed.month, 1)
        return tmt

    def _head_person(self, unit: _Unit, spec: AgencySpec) -> dict[str, Any]:
        rng, people = self.rng, self.people
        sex = "m" if rng.random() < 0.7 else "f"
        birth = self._in_service(
            people.date(*HEAD_BIRTH_YEARS[unit.head_eselon]),
            unit.head_kind,
            unit.head_eselon,
            unit.head_title,
        )
        year, month = people.pns_appointment(birth, 2012)
        front = ""
        if unit.parent is None and spec.kind == UnitKind.HOSPITAL:
            front, back = "dr.", rng.choice(("Sp.PD, M.Kes.", "Sp.B, M.M.", "M.Kes.", "Sp.A, MARS"))
        else:
            back = rng.choice(HEAD_DEGREES)
            roll = rng.random()
            if unit.head_eselon in (Eselon.IIA, Eselon.IIB) and roll < 0.3:
                front = "Dr."
            elif birth.year < 1970 and roll < 0.45:
                front = rng.choice(("Drs." if sex == "m" else "Dra.", "Ir."))
        if rng.random() < 0.15:
            front = f"{front} {'H.' if sex == 'm' else 'Hj.'}".strip()
        return {
            "name": people.name(sex),
            "sex": sex,
            "birth_date": birth,
            "nip": people.nip(birth, year, month, sex),
            "status": EmployeeStatus.PNS.value,
            "grade": rng.choice(HEAD_GRADES[unit.head_eselon]),
            "grade_tmt": self._grade_tmt(dt.date(year, month, 1)),
            "front_title": front,
            "back_title": back,
            "position": unit.head,
            "unit": unit,
            "start": people.date_between(dt.date(2019, 1, 2), AS_OF),
        }

    def _staff_person(self, unit: _Unit, spec: AgencySpec, status: str) -> dict[str, Any]:
        rng, people = self.rng, self.people
        sex = "m" if rng.random() < 0.5 else "f"
        if not unit.menu:
            unit.menu = _menu(spec, rng)
        menu = unit.menu
        front = back = grade = ""
        nip = grade_tmt = None
        if status == EmployeeStatus.NON_ASN:
            birth = people.date(1970, 2002)
            title, kind = rng.choice(menu["non_asn"]), PositionKind.PELAKSANA
            start = people.date_between(max(UNITS_FROM, dt.date(birth.year + 19, 1, 1)), AS_OF)
        else:
            pppk = status == EmployeeStatus.PPPK
            birth = people.date(1972 if pppk else 1965, 2000)
            share = (
                FUNCTIONAL_SHARE_PPPK
                if pppk
                else FUNCTIONAL_SHARE.get(
                    unit.kind, FUNCTIONAL_SHARE.get(spec.kind, FUNCTIONAL_SHARE_DEFAULT)
                )
            )
            if rng.random() < share:
                jf = rng.choices(menu["jf"], weights=menu["jf_weights"])[0]
                level = _level(rng, birth)
                title, kind = f"{jf} {level}", PositionKind.FUNGSIONAL
                grade = rng.choice((PPPK_GRADES if pppk else PNS_GRADES)[level])
                if jf == "Dokter":
                    front = "dr."
                back = rng.choice(FUNCTIONAL_DEGREES.get(jf, DEGREES))
            else:
                title, kind = rng.choice(menu["pelaksana"]), PositionKind.PELAKSANA
                grade = rng.choice(PPPK_PELAKSANA_GRADES if pppk else PNS_PELAKSANA_GRADES)
                back = rng.choice(PELAKSANA_DEGREES)
            birth = self._in_service(birth, kind, "", title)
            if pppk:
                year = rng.choice((2021, 2022))
                nip = people.nip(birth, year, None, sex)
                start = people.date_between(dt.date(year, 3, 1), AS_OF)
                grade_tmt = dt.date(year, 3, 1)  # the contract's first day carries the grade
            else:
                year, month = people.pns_appointment(birth, 2022)
                nip = people.nip(birth, year, month, sex)
                start = people.date_between(max(UNITS_FROM, dt.date(year, month, 1)), AS_OF)
                grade_tmt = self._grade_tmt(dt.date(year, month, 1))
        position = unit.positions.get(title)
        if position is None:
            position = Position(
                instansi=self.instansi,
                unit=unit.obj,
                code=f"{unit.code}-J{len(unit.positions) + 1:02d}",
                title=title,
                kind=kind,
                reports_to=unit.head,
            )
            unit.positions[title] = position
            self._new_positions.append(position)
        return {
            "name": people.name(sex),
            "sex": sex,
            "birth_date": birth,
            "nip": nip,
            "status": status,
            "grade": grade,
            "grade_tmt": grade_tmt,
            "front_title": front,
            "back_title": back,
            "position": position,
            "unit": unit,
            "start": start,
        }

    def _write_agency_staff(self, spec: AgencySpec, units: list[_Unit], statuses: list[str]):
        self._new_positions: list[Position] = []
        people = [self._head_person(u, spec) for u in units]
        placed = (
            self.rng.choices(units, weights=[u.staff_weight for u in units], k=len(statuses))
            if statuses
            else []
        )
        people += [self._staff_person(u, spec, s) for u, s in zip(placed, statuses, strict=True)]
        Position.objects.bulk_create(self._new_positions, batch_size=BATCH)
        self.result.positions += len(self._new_positions)
        for i in range(0, len(people), BATCH):
            chunk = people[i : i + BATCH]
            employees = [
                Employee(
                    instansi=self.instansi,
                    nip=p["nip"],
                    name=p["name"],
                    front_title=p["front_title"],
                    back_title=p["back_title"],
                    status=p["status"],
                    sex=p["sex"],
                    birth_date=p["birth_date"],
                    grade=p["grade"],
                    grade_tmt=p["grade_tmt"],
                    unit=p["unit"].obj,
                    position=p["position"],
                    is_synthetic=True,
                )
                for p in chunk
            ]
            Employee.objects.bulk_create(employees, batch_size=BATCH)
            Assignment.objects.bulk_create(
                [
                    Assignment(
                        instansi=self.instansi,
                        employee=e,
                        position=p["position"],
                        unit=p["unit"].obj,
                        valid_from=p["start"],
                        note="synthetic",
                    )
                    for e, p in zip(employees, chunk, strict=True)
                ],
                batch_size=BATCH,
            )
            self.result.employees += len(chunk)
            self.bar.update(len(chunk))


@transaction.atomic
def generate_province(
    instansi: Instansi,
    *,
    staff: int = DEFAULT_STAFF,
    seed: int = 1,
    progress: bool = False,
    agencies: list[AgencySpec] | None = None,
    today: dt.date | None = None,
) -> GenerationResult:
    """Write a synthetic province of ``staff`` people under ``instansi``, which must be empty.

    ``today`` (default: the current date) is the day on which nobody on the active list may
    be past the retirement age (BUP) of their post; the same seed and day give the same data.

    Raise ValueError when the instansi already has units or ``staff`` is below MIN_STAFF.
    """
    if staff < MIN_STAFF:
        raise ValueError(_("A province needs at least %(n)d staff.") % {"n": MIN_STAFF})
    if OrgUnit.objects.filter(instansi=instansi).exists():
        raise ValueError(_("%(instansi)s already has units.") % {"instansi": instansi})
    started = time.monotonic()
    specs = agencies if agencies is not None else load_agencies()
    with tqdm(total=staff, desc="staff", unit=" staff", disable=not progress) as bar:
        result = _Writer(instansi, staff, seed, bar, today or timezone.localdate()).run(specs)
    add_reporting_demo(instansi)
    result.seconds = time.monotonic() - started
    record(
        actor=None,
        action="organisations.generate",
        target=instansi,
        instansi_id=instansi.pk,
        reason="synthetic province",
        changes={
            "staff": [None, staff],
            "seed": [None, seed],
            "units": [None, result.units],
            "positions": [None, result.positions],
        },
    )
    return result


PLT_FROM = dt.date(2023, 1, 2)  # the demo's acting head of a division, from this day (open)
ACTING_DEMO_AGENCY = "Dinas Pendidikan"  # where the demo accounts work
# One pengawas post (eselon IV: heads of sections and sub-divisions) in this many is left vacant
# (its holder transferred out of the province on VACATED_ON), so the leaders' pages show some.
VACANT_PENGAWAS_EVERY = 12
VACATED_ON = dt.date(2024, 6, 30)


def add_reporting_demo(instansi: Instansi) -> None:
    """Date the generated posts' lines, leave some posts vacant and appoint one acting head, so
    the demo shows superiors, vacancies and a Plt.

    Every post's ``reports_to`` becomes a reporting line from the later of its unit's and its
    superior's unit's opening. The head of a unit two levels down (in Dinas Pendidikan, its last
    by tree path) becomes Plt of its division's head post from PLT_FROM: the post's holder was
    transferred out of the province the day before, and the division's staff report to the
    Plt. One pengawas post in VACANT_PENGAWAS_EVERY (by unit path) loses its holder the same way
    on VACATED_ON and stays vacant.
    """
    from .choices import ActingKind
    from .models import ActingAssignment, ReportingLine

    rows = Position.objects.filter(instansi=instansi, reports_to__isnull=False).values_list(
        "pk", "reports_to_id", "unit__valid_from", "reports_to__unit__valid_from"
    )
    ReportingLine.objects.bulk_create(
        (
            ReportingLine(
                instansi=instansi,
                position_id=pk,
                reports_to_id=boss,
                valid_from=max(start, boss_start),
            )
            for pk, boss, start, boss_start in rows.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )
    # In Dinas Pendidikan, where the demo accounts work (its last division: the demo evaluator
    # heads the first), else in the first agency that has a unit two levels down.
    acting = (
        Employee.objects.filter(instansi=instansi, position__is_head=True, position__unit__depth=2)
        .select_related("unit")
        .order_by(
            Case(When(unit__agency__name=ACTING_DEMO_AGENCY, then=0), default=1),
            F("unit__path").desc(),
        )
        .first()
    )
    post = (
        Position.objects.filter(unit_id=acting.unit.parent_id, is_head=True).first()
        if acting
        else None
    )
    if post is None:
        return
    holders = Employee.objects.filter(position=post, is_active=True).values_list("pk", flat=True)
    _transfer_out(list(holders), PLT_FROM - dt.timedelta(days=1))
    pengawas = Employee.objects.filter(
        instansi=instansi, is_active=True, position__kind=PositionKind.PENGAWAS
    ).order_by("unit__path", "position__code", "pk")
    ids = list(pengawas.values_list("pk", flat=True))
    _transfer_out(ids[VACANT_PENGAWAS_EVERY - 1 :: VACANT_PENGAWAS_EVERY], VACATED_ON)
    ActingAssignment.objects.create(
        instansi=instansi,
        employee=acting,
        position=post,
        kind=ActingKind.PLT,
        decree_number="800/001/PLT/101.4/2023",
        valid_from=PLT_FROM,
    )


def _transfer_out(employee_ids: list[int], last_day: dt.date) -> None:
    """The employees left the province's service after ``last_day``: inactive, post closed."""
    from .models import Assignment

    Employee.objects.filter(pk__in=employee_ids).update(is_active=False)
    Assignment.objects.filter(employee_id__in=employee_ids, valid_to__isnull=True).update(
        valid_to=last_day
    )


@transaction.atomic
def wipe_province(instansi: Instansi) -> dict[str, int]:
    """Delete the instansi's synthetic units, posts, staff and assignments; return the counts.

    Refuse (ValueError) when the instansi also holds real data, or when other rows (role
    assignments, plans, ...) still point at the synthetic ones: remove those first.
    """
    units = OrgUnit.objects.filter(instansi=instansi)
    employees = Employee.objects.filter(instansi=instansi)
    real = units.filter(is_synthetic=False).count() + employees.filter(is_synthetic=False).count()
    if real:
        raise ValueError(
            _(
                "%(instansi)s holds %(n)d units or employees that are not synthetic; the reset "
                "only wipes synthetic data."
            )
            % {"instansi": instansi, "n": real}
        )
    positions = Position.objects.filter(instansi=instansi)
    counts = {
        "units": units.count(),
        "positions": positions.count(),
        "employees": employees.count(),
    }
    try:
        Assignment.objects.filter(instansi=instansi).delete()
        employees.delete()
        positions.update(reports_to=None)
        positions.delete()
        units.update(parent=None, agency=None)
        units.delete()
    except ProtectedError as exc:
        kinds = ", ".join(sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects}))
        raise ValueError(
            _(
                "Other data still points at the synthetic units of %(instansi)s: %(kinds)s. "
                "Remove it first."
            )
            % {"instansi": instansi, "kinds": kinds}
        ) from exc
    record(
        actor=None,
        action="organisations.wipe",
        target=instansi,
        instansi_id=instansi.pk,
        reason="synthetic province reset",
        changes={k: [v, 0] for k, v in counts.items()},
    )
    return counts


def agency_heads(instansi: Instansi):
    """Return the JPT Pratama who head the instansi's agencies and the Setda's Biro (the 2023
    refreshment's 61); the Sekretaris Daerah (JPT Madya) is not among them."""
    return Employee.objects.filter(
        instansi=instansi,
        position__is_head=True,
        position__kind=PositionKind.JPT_PRATAMA,
    ).select_related("position", "unit")
