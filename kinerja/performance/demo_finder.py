"""The load_demo step of the collaboration finder: some of the agencies' templated Renstra
indicators become what a real manual holds (stunting, SMK graduates at work, vocational
training, tourism investment and the Perpres 80/2019 projects, roads, irrigation, the
environment quality index), the demo plan's stunting and SMK indicators get their
definitions, and the finder runs over the year, so the candidate list holds pairs that look
like a province's. Written through the services, so each change has its audit event; no
indicator is added (every agency keeps its two to four Renstra indicators).

Registered from `PerformanceConfig.ready()` right after the agreements step (every agency's
Renstra is there; the agreements signed before keep their copy of the former names, as a
signed agreement does), before the action plans and employee plans copy the names; wiped
before them (the planning step's wipe removes the indicators)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import OrgUnit

from . import aggregates
from .models import CollaborationCandidate, Indicator, Target
from .services import finder as finder_services
from .services import indicator_update

# The demo plan's own indicators, given the definition their manual would hold.
DEFINITIONS = {
    "IKU-DINKES-01": (
        "Persentase balita dengan tinggi badan menurut umur kurang dari minus dua standar "
        "deviasi median standar pertumbuhan anak WHO, terhadap seluruh balita yang diukur.",
        "Jumlah balita stunting dibagi jumlah balita yang diukur tinggi badannya, dikali 100.",
    ),
    "DINDIK-02": (
        "Persentase lulusan SMK tahun sebelumnya yang bekerja, berwirausaha atau melanjutkan "
        "ke dunia kerja dalam satu tahun setelah lulus, hasil penelusuran tamatan (tracer "
        "study).",
        "Lulusan SMK yang bekerja atau berwirausaha dibagi seluruh lulusan SMK, dikali 100.",
    ),
}

# The demo's agency Renstra indicators are written from sector templates ("Persentase
# kelompok sasaran {short} yang terlayani"). A few of them become what such an agency's manual
# would hold: the same unit of measure, polarity and size of number, so their targets and
# realisations still read right. (agency, the template's opening words, name, definition,
# formula, data source)
RENAMES = (
    (
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Kependudukan",
        "Persentase kelompok sasaran",
        "Persentase keluarga berisiko stunting yang mendapat pendampingan",
        "Keluarga dengan balita atau ibu hamil berisiko stunting yang didampingi Tim "
        "Pendamping Keluarga dalam percepatan penurunan stunting, dibagi seluruh keluarga "
        "berisiko stunting hasil pendataan keluarga.",
        "Keluarga berisiko stunting yang didampingi dibagi keluarga berisiko stunting, dikali 100.",
        "Pendataan keluarga (PK) dan laporan Tim Pendamping Keluarga",
    ),
    (
        "Dinas Pemberdayaan Masyarakat dan Desa",
        "Persentase kelompok sasaran",
        "Persentase desa yang melaksanakan konvergensi pencegahan stunting",
        "Desa yang menyelenggarakan rembuk stunting dan memiliki kader pembangunan manusia "
        "aktif untuk pencegahan stunting pada balita, dibagi seluruh desa.",
        "",
        "Laporan konvergensi stunting desa",
    ),
    (
        "Dinas Tenaga Kerja dan Transmigrasi",
        "Persentase kelompok sasaran",
        "Tingkat penyerapan lulusan sekolah menengah kejuruan di dunia kerja",
        "Persentase lulusan sekolah menengah kejuruan yang bekerja atau berwirausaha dalam "
        "satu tahun setelah lulus, dari data penempatan tenaga kerja dan bursa kerja khusus.",
        "",
        "Sistem informasi pasar kerja, bursa kerja khusus SMK",
    ),
    (
        "Dinas Tenaga Kerja dan Transmigrasi",
        "Jumlah peserta pelatihan",
        "Jumlah lulusan pelatihan vokasi yang ditempatkan bekerja",
        "Peserta pelatihan berbasis kompetensi di balai latihan kerja yang bekerja setelah "
        "pelatihan, melalui penempatan atau bursa kerja.",
        "",
        "UPT Balai Latihan Kerja",
    ),
    (
        "Dinas Koperasi dan Usaha Kecil dan Menengah",
        "Jumlah pelaku usaha",
        "Jumlah alumni pelatihan vokasi yang bekerja atau berusaha",
        "Alumni pelatihan vokasi kewirausahaan yang bekerja atau membuka usaha setelah "
        "mengikuti pelatihan.",
        "",
        "UPT Pelatihan Koperasi dan UKM",
    ),
    (
        "Dinas Kebudayaan dan Pariwisata",
        "Pertumbuhan PDRB",
        "Pertumbuhan nilai investasi sektor pariwisata",
        "Pertumbuhan realisasi penanaman modal asing dan dalam negeri pada usaha pariwisata, "
        "termasuk kawasan strategis pariwisata di kawasan percepatan pembangunan Perpres 80 "
        "Tahun 2019.",
        "",
        "LKPM, sistem OSS",
    ),
    (
        "Badan Perencanaan Pembangunan Daerah",
        "Pertumbuhan PDRB",
        "Pertumbuhan realisasi investasi proyek strategis Perpres 80 Tahun 2019",
        "Pertumbuhan nilai investasi yang terealisasi pada proyek strategis percepatan "
        "pembangunan ekonomi kawasan sesuai Perpres 80 Tahun 2019, termasuk pariwisata dan "
        "kawasan industri.",
        "",
        "Laporan pemantauan proyek Perpres 80/2019",
    ),
    (
        "Dinas Pekerjaan Umum Bina Marga",
        "Persentase infrastruktur",
        "Persentase jalan provinsi dalam kondisi mantap",
        "Panjang jalan provinsi dengan kondisi baik dan sedang dibagi panjang seluruh jalan "
        "provinsi.",
        "",
        "Survei kondisi jalan (IRI)",
    ),
    (
        "Dinas Perhubungan",
        "Persentase infrastruktur",
        "Persentase perlengkapan jalan provinsi dalam kondisi baik",
        "Rambu, marka dan alat pemberi isyarat lalu lintas pada ruas jalan provinsi yang "
        "berfungsi baik dibagi seluruh perlengkapan jalan terpasang.",
        "",
        "Inventarisasi perlengkapan jalan",
    ),
    (
        "Dinas Pekerjaan Umum Sumber Daya Air",
        "Persentase infrastruktur",
        "Persentase jaringan irigasi kewenangan provinsi dalam kondisi baik",
        "Luas daerah irigasi kewenangan provinsi yang jaringannya berkondisi baik dibagi "
        "seluruh luas daerah irigasi kewenangan provinsi.",
        "",
        "Indeks kinerja sistem irigasi",
    ),
    (
        "Dinas Lingkungan Hidup",
        "Indeks kualitas lingkungan",
        "Indeks kualitas lingkungan hidup",
        "Indeks komposit kualitas air, kualitas udara, kualitas tutupan lahan dan kualitas "
        "air laut provinsi.",
        "",
        "KLHK, pemantauan kualitas lingkungan",
    ),
    (
        "Dinas Kehutanan",
        "Indeks kualitas lingkungan",
        "Indeks kualitas tutupan lahan",
        "Indeks kualitas tutupan lahan provinsi dari luas tutupan hutan dan vegetasi, "
        "komponen indeks kualitas lingkungan hidup.",
        "",
        "KLHK, citra satelit tutupan lahan",
    ),
)


# The purpose the manual states, where it ties the indicator to a wider result.
PURPOSES = {
    "Persentase keluarga berisiko stunting yang mendapat pendampingan": (
        "Menurunkan prevalensi stunting pada balita melalui pendampingan keluarga berisiko."
    ),
    "Persentase desa yang melaksanakan konvergensi pencegahan stunting": (
        "Mendukung penurunan prevalensi stunting pada balita di desa."
    ),
}


def _year(instansi) -> int:
    year = timezone.localdate().year
    if not Target.objects.filter(instansi=instansi, year=year).exists():
        year = 2026
    return year


def demo_finder(instansi, year: int) -> dict[str, int]:
    """Give the demo's indicators their manuals, then run the finder over ``year``."""
    call = {
        "actor": None,
        "scope": Scope(instansi_id=instansi.pk, grants=(Grant(actions=Action.ALL),)),
    }
    agencies = {u.name: u for u in OrgUnit.objects.filter(instansi=instansi, parent__isnull=True)}
    for indicator in Indicator.objects.filter(instansi=instansi, code__in=DEFINITIONS):
        if not indicator.definition:
            definition, formula = DEFINITIONS[indicator.code]
            indicator_update(
                **call, indicator=indicator, data={"definition": definition, "formula": formula}
            )
    rewritten = 0
    for agency, opening, name, definition, formula, source in RENAMES:
        unit = agencies.get(agency)
        indicator = (
            Indicator.objects.filter(unit=unit, result=None, name__startswith=opening)
            .order_by("pk")
            .first()
            if unit
            else None
        )
        if indicator is None:
            continue
        data = {"name": name, "definition": definition, "data_source": source, "producer": agency}
        if formula:
            data["formula"] = formula
        if name in PURPOSES:
            data["purpose"] = PURPOSES[name]
        indicator_update(**call, indicator=indicator, data=data)
        rewritten += 1
    summary = finder_services.finder_run(**call, instansi=instansi, year=year)
    return {"indicators": rewritten, "candidates": summary.proposed, "year": year}


@aggregates.batched
def demo_finder_run(ctx) -> str:
    """Give the demo's indicators their manuals and run the finder over the current year."""
    instansi = ctx.instansi
    existing = CollaborationCandidate.objects.filter(instansi=instansi).count()
    if existing:
        return _("kept: %(n)d collaboration candidates already") % {"n": existing}
    counts = demo_finder(instansi, _year(instansi))
    return (
        _(
            "%(indicators)d agency indicators given their manual; %(candidates)d candidates "
            "found for %(year)d"
        )
        % counts
    )


def demo_finder_wipe(ctx) -> str:
    """Remove the instansi's candidates (the planning step's wipe removes the indicators)."""
    n, _x = CollaborationCandidate.objects.filter(instansi=ctx.instansi).delete()
    return _("removed %(n)d collaboration candidates") % {"n": n}
