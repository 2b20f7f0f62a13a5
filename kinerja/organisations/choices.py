import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency")
    CITY = "city", _("City")


class InstansiKind(models.TextChoices):
    PROVINCE = "province", _("Provincial government")
    REGENCY = "regency", _("Regency government")
    CITY = "city", _("City government")


class UnitKind(models.TextChoices):
    """Kinds of unit of a provincial government, declared in the official order.

    The declaration order is the sort order (``sort_rank``): Sekretariat Daerah, Sekretariat
    DPRD, Inspektorat, Dinas, Badan, hospitals, Satpol PP at the top (PP 18/2016 Pasal 5 lists
    setda, setwan, inspektorat, dinas, badan); then the units inside an agency: Biro (in the
    Setda), the agency's Sekretariat, Bidang, Bagian, Cabang Dinas, UPT, Subbagian, Seksi.
    """

    SETDA = "setda", _("Sekretariat Daerah")
    SETWAN = "setwan", _("Sekretariat DPRD")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    DINAS = "dinas", _("Dinas (service agency)")
    BADAN = "badan", _("Badan (agency)")
    HOSPITAL = "rsud", _("Regional hospital")
    SPECIALIST_HOSPITAL = "rs_khusus", _("Specialist hospital")
    SATPOL_PP = "satpol_pp", _("Satpol PP")
    BIRO = "biro", _("Biro (bureau)")
    SECRETARIAT = "sekretariat", _("Secretariat")
    DIVISION = "bidang", _("Division")
    BAGIAN = "bagian", _("Bagian (part of a secretariat or bureau)")
    CABANG_DINAS = "cabdin", _("Cabang Dinas (regional branch)")
    UPT = "upt", _("Technical implementation unit (UPT)")
    SUBBAGIAN = "subbagian", _("Subbagian (subsection)")
    SECTION = "seksi", _("Section")

    @classmethod
    def agency_kinds(cls) -> set[str]:
        """Kinds that are an OPD (an agency) when they stand at the top of the tree.

        A Biro belongs under the Sekretariat Daerah; one on top (older data) still counts.
        """
        return {
            cls.SETDA,
            cls.SETWAN,
            cls.INSPEKTORAT,
            cls.DINAS,
            cls.BADAN,
            cls.HOSPITAL,
            cls.SPECIALIST_HOSPITAL,
            cls.SATPOL_PP,
            cls.SECRETARIAT,
            cls.BIRO,
        }

    @classmethod
    def sort_rank(cls, kind: str) -> int:
        """Return the kind's place in the official order (1 first; 99 for an unknown kind)."""
        try:
            return cls.values.index(kind) + 1
        except ValueError:
            return 99


class PositionKind(models.TextChoices):
    JPT_UTAMA = "jpt_utama", _("JPT Utama")
    JPT_MADYA = "jpt_madya", _("JPT Madya")
    JPT_PRATAMA = "jpt_pratama", _("JPT Pratama")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas")
    FUNGSIONAL = "fungsional", _("Fungsional")
    PELAKSANA = "pelaksana", _("Pelaksana")


class Eselon(models.TextChoices):
    IA = "I.a", "I.a"
    IB = "I.b", "I.b"
    IIA = "II.a", "II.a"
    IIB = "II.b", "II.b"
    IIIA = "III.a", "III.a"
    IIIB = "III.b", "III.b"
    IVA = "IV.a", "IV.a"
    IVB = "IV.b", "IV.b"


class EmployeeStatus(models.TextChoices):
    PNS = "pns", _("PNS")
    PPPK = "pppk", _("PPPK")
    NON_ASN = "non_asn", _("Non-ASN")


class Sex(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


# --- grades (golongan/pangkat) -------------------------------------------------------------
# The table is reference data: data/grades.csv (PP 99/2000 for PNS, Perpres 98/2020 for PPPK).

GRADES_CSV = Path(__file__).resolve().parent / "data" / "grades.csv"


@dataclass(frozen=True)
class GradeSpec:
    code: str
    status: str
    pangkat: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.pangkat}" if self.pangkat else self.code


@functools.cache
def grades() -> dict[str, GradeSpec]:
    """Return the grades by code, in the file's order (PNS I/a to IV/e, then PPPK I to XVII)."""
    with open(GRADES_CSV, newline="", encoding="utf-8") as handle:
        rows = [GradeSpec(r["code"], r["status"], r["pangkat"]) for r in csv.DictReader(handle)]
    return {g.code: g for g in rows}


def grade_choices() -> list[tuple[str, str]]:
    """The choices of ``Employee.grade``: PNS grades with their pangkat, then PPPK grades."""
    pns, pppk = str(EmployeeStatus.PNS.label), str(EmployeeStatus.PPPK.label)
    groups: dict[str, list[tuple[str, str]]] = {pns: [], pppk: []}
    for g in grades().values():
        groups[pns if g.status == EmployeeStatus.PNS else pppk].append((g.code, g.label))
    return list(groups.items())


def grade_status(code: str) -> str | None:
    """Return the status (``pns`` / ``pppk``) a grade code belongs to, or None if unknown."""
    spec = grades().get(code)
    return spec.status if spec else None


class ActingKind(models.TextChoices):
    PLT = "plt", _("Plt (acting official)")
    PLH = "plh", _("Plh (daily stand-in)")
