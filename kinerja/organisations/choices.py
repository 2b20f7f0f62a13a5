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
    SECRETARIAT = "sekretariat", _("Secretariat")
    DINAS = "dinas", _("Dinas (service agency)")
    BADAN = "badan", _("Badan (agency)")
    BIRO = "biro", _("Biro (bureau)")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    HOSPITAL = "rsud", _("Regional hospital")
    DIVISION = "bidang", _("Division")
    SECTION = "seksi", _("Section")
    UPT = "upt", _("Technical implementation unit (UPT)")

    @classmethod
    def agency_kinds(cls) -> set[str]:
        """Kinds that are an OPD (an agency) when they stand at the top of the tree."""
        return {cls.SECRETARIAT, cls.DINAS, cls.BADAN, cls.BIRO, cls.INSPEKTORAT, cls.HOSPITAL}


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


class ActingKind(models.TextChoices):
    PLT = "plt", _("Plt (acting official)")
    PLH = "plh", _("Plh (daily stand-in)")
