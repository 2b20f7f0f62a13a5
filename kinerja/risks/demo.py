"""The load_demo step of the risk register: realistic risks of the demo agencies' PK targets
of the current year (stunting prevalence, road condition, investment realisation, school
participation and the rest), some raised from the early warning, and risks of the strategic
projects of the development areas (land acquisition, the financing close of a KPBU), with
mitigations planned, in progress, done and cancelled, and a few risks closed or accepted.
Written through the services (each row has its audit event); deterministic: the same rows,
in the same order, on every run.

Registered from `RisksConfig.ready()` (order 142, after the evaluations and the regional
projects); wiped before them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import Position
from kinerja.performance.models import AgreementTarget
from kinerja.regional.models import Project

from . import services
from .models import Mitigation, Risk

# One generic risk for every other agency (the keyword risks come on top): a few dozen rows.
RISKS_PER_AGENCY = 1
AGENCY_STEP = 2
# Risks of targets whose indicator name holds a keyword: (keyword, title, category, cause,
# impact, likelihood, impact level, mitigations [(action, responsible, days to due, status,
# progress, note)]).
BY_KEYWORD = (
    (
        "prevalensi stunting",
        "Penurunan prevalensi stunting tidak mencapai target",
        "performance",
        "Cakupan pemberian makanan tambahan dan pendampingan keluarga berisiko stunting belum "
        "merata di kabupaten/kota dengan prevalensi tertinggi; data e-PPGBM terlambat masuk.",
        "Target prevalensi stunting RPJMD dan komitmen nasional tidak tercapai; kualitas SDM "
        "jangka panjang menurun.",
        4,
        5,
        (
            (
                "Konvergensi intervensi spesifik dan sensitif bersama TPPS kabupaten/kota",
                "Bidang Kesehatan Masyarakat",
                60,
                "in_progress",
                45,
                "Rembuk stunting di 12 kabupaten prioritas sudah berjalan.",
            ),
            ("Verifikasi data e-PPGBM bulanan oleh puskesmas", "Bidang P2P", 30, "done", 100, ""),
        ),
    ),
    (
        "kondisi mantap",
        "Capaian {indicator} di bawah target",
        "operational",
        "Kerusakan akibat banjir dan beban berlebih (antara lain di ruas lintas selatan); "
        "pemeliharaan berkala tertunda karena refocusing anggaran.",
        "Konektivitas antarwilayah terganggu; biaya logistik naik; target RPJMD bidang "
        "infrastruktur tidak tercapai.",
        3,
        4,
        (
            (
                "Penanganan darurat ruas rusak berat dengan skema pemeliharaan rutin",
                "UPT Pengelolaan Jalan",
                45,
                "in_progress",
                60,
                "Tiga dari lima ruas selesai.",
            ),
            (
                "Usulan tambahan anggaran pemeliharaan berkala pada P-APBD",
                "Sekretariat",
                90,
                "planned",
                0,
                "",
            ),
        ),
    ),
    (
        "investasi",
        "Realisasi investasi PMA dan PMDN di bawah target",
        "strategic",
        "Ketidakpastian ekonomi global dan proses perizinan berusaha berbasis risiko (OSS) "
        "yang belum tuntas di kawasan industri.",
        "Penciptaan lapangan kerja dan pertumbuhan PDRB melambat.",
        3,
        5,
        (
            (
                "Fasilitasi percepatan perizinan proyek investasi prioritas (desk investasi)",
                "Bidang Pelayanan Perizinan",
                60,
                "in_progress",
                30,
                "",
            ),
            (
                "East Java Investment Forum dan temu bisnis dengan calon investor",
                "Bidang Promosi Investasi",
                120,
                "planned",
                0,
                "",
            ),
        ),
    ),
    (
        "partisipasi",
        "Angka partisipasi pendidikan menengah tidak naik sesuai target",
        "performance",
        "Anak usia sekolah dari keluarga miskin putus sekolah untuk bekerja; daya tampung "
        "SMA/SMK negeri terbatas di kecamatan terpencil.",
        "Target APK SMA/SMK tidak tercapai; IPM bidang pendidikan tertahan.",
        3,
        4,
        (
            (
                "Bantuan biaya pendidikan bagi siswa dari keluarga miskin",
                "Bidang SMA",
                75,
                "in_progress",
                50,
                "",
            ),
        ),
    ),
    (
        "penduduk miskin",
        "Penurunan persentase penduduk miskin melambat",
        "strategic",
        "Kenaikan harga pangan dan data penerima bantuan sosial yang belum mutakhir.",
        "Target penurunan kemiskinan RPJMD tidak tercapai.",
        3,
        5,
        (
            (
                "Pemutakhiran data DTKS bersama kabupaten/kota",
                "Bidang Perlindungan Sosial",
                60,
                "in_progress",
                40,
                "",
            ),
        ),
    ),
)
GENERIC = (
    (
        "Data realisasi capaian {indicator} terlambat atau tidak valid",
        "operational",
        "Produsen data belum menetapkan jadwal pemutakhiran; verifikasi berjenjang belum berjalan.",
        "Capaian kinerja tidak dapat dilaporkan tepat waktu dalam LKjIP dan evaluasi AKIP.",
        3,
        3,
        (
            (
                "Menetapkan walidata dan jadwal pemutakhiran data triwulanan",
                "Sekretariat",
                30,
                "done",
                100,
                "SK walidata terbit.",
            ),
        ),
    ),
    (
        "Keterlambatan pelaksanaan kegiatan pendukung {indicator}",
        "operational",
        "Proses pengadaan barang/jasa dimulai terlambat; penyedia kurang.",
        "Output kegiatan bergeser ke triwulan IV; capaian tahunan tertekan.",
        2,
        3,
        (
            (
                "Percepatan lelang dini dan pemantauan rencana aksi bulanan",
                "Subbagian Program",
                45,
                "planned",
                0,
                "",
            ),
        ),
    ),
    (
        "Refocusing anggaran mengurangi pagu program {indicator}",
        "financial",
        "Kebijakan penyesuaian belanja daerah di tengah tahun.",
        "Kegiatan prioritas berkurang; target tidak tercapai penuh.",
        2,
        4,
        (
            (
                "Menyusun skala prioritas kegiatan dan usulan pergeseran anggaran",
                "Subbagian Keuangan",
                60,
                "cancelled",
                0,
                "Pagu dipulihkan pada P-APBD.",
            ),
        ),
    ),
)
# Early-warning projections: (keyword, projected %, threshold %).
WARNINGS = (
    ("stunting", "78.5", "90"),
    ("puskesmas", "83", "90"),
    ("kepuasan", "86", "90"),
)
PROJECT_RISKS = (
    (
        "land",
        "Pengadaan tanah {project} belum tuntas",
        "land",
        "Penetapan lokasi dan musyawarah ganti kerugian berlarut; sebagian bidang tanah "
        "berstatus sengketa.",
        "Konstruksi tidak dapat dimulai sesuai jadwal; biaya proyek naik.",
        4,
        4,
        (
            (
                "Percepatan penetapan lokasi dan konsinyasi ganti kerugian melalui pengadilan",
                "Biro Administrasi Pembangunan",
                90,
                "in_progress",
                35,
                "",
            ),
            (
                "Koordinasi dengan BPN kanwil untuk inventarisasi bidang tanah",
                "Bappeda",
                30,
                "done",
                100,
                "",
            ),
        ),
    ),
    (
        "kpbu",
        "Financial close KPBU {project} tertunda",
        "financial",
        "Struktur dukungan pemerintah (VGF/penjaminan) belum disepakati; minat badan usaha "
        "rendah pada tahap penjajakan pasar.",
        "Proyek tidak masuk tahap konstruksi dalam fase P1; target Perpres 80/2019 bergeser.",
        3,
        5,
        (
            (
                "Penjajakan pasar ulang dan penyempurnaan kajian akhir prastudi kelayakan",
                "Bappeda",
                120,
                "planned",
                0,
                "",
            ),
        ),
    ),
)


def _call(instansi):
    return {
        "actor": None,
        "scope": Scope(instansi_id=instansi.pk, grants=(Grant(actions=Action.ALL),)),
    }


def _mitigate(call, risk, mitigations, start: dt.date) -> int:
    n = 0
    for action, responsible, days, status, progress, note in mitigations:
        services.mitigation_add(
            **call,
            risk=risk,
            data={
                "action": action,
                "responsible_name": responsible,
                "due_on": start + dt.timedelta(days=days),
                "status": status,
                "progress_percent": progress,
                "progress_note": note,
                "on": start + dt.timedelta(days=min(days, 20)),
            },
        )
        n += 1
    return n


def demo_risks(instansi, year: int) -> dict[str, int]:
    """Register the demo risks of ``year``; return how many of each were made."""
    call = _call(instansi)
    counts = {"risks": 0, "warnings": 0, "projects": 0, "mitigations": 0, "closed": 0}
    rows = list(
        AgreementTarget.objects.filter(
            agreement__instansi=instansi,
            agreement__is_current=True,
            agreement__year=year,
            target__indicator__goal__isnull=False,
        )
        # The agencies' agreements and the province's own (the governor's).
        .filter(Q(agreement__unit__isnull=True) | Q(agreement__unit__parent__isnull=True))
        .select_related("target__indicator__unit", "agreement__unit")
        .order_by("agreement__unit__sort_key", "agreement__unit__name", "position", "pk")
    )
    # The province's own risks are owned by the head of Bappeda, which keeps the regional plan.
    planner = (
        Position.objects.filter(
            instansi=instansi,
            is_head=True,
            is_active=True,
            unit__parent__isnull=True,
            unit__name__icontains="Perencanaan Pembangunan",
        )
        .order_by("pk")
        .first()
    )
    seen, per_agency, number, agencies = set(), {}, 0, {}
    for row in rows:
        target = row.target
        if target.pk in seen:
            continue
        seen.add(target.pk)
        name = target.indicator.name.lower()
        agency = row.agreement.unit_id
        rank = agencies.setdefault(agency, len(agencies))
        spec = next((s for s in BY_KEYWORD if s[0] in name), None)
        if spec is None and (
            per_agency.get(agency, 0) >= RISKS_PER_AGENCY or rank % AGENCY_STEP or not agency
        ):
            continue
        if not agency and planner is None:
            continue
        if spec is not None:
            _key, title, category, cause, impact_text, lk, im, mitigations = spec
            title = title.format(indicator=target.indicator.name)[:300]
        else:
            title, category, cause, impact_text, lk, im, mitigations = GENERIC[
                number % len(GENERIC)
            ]
            title = title.format(indicator=target.indicator.name)[:300]
        number += 1
        per_agency[agency] = per_agency.get(agency, 0) + 1
        identified = dt.date(year, 1, 20) + dt.timedelta(days=(number * 7) % 120)
        risk = services.risk_create(
            **call,
            instansi=instansi,
            data={
                "target": target,
                "title": title,
                "category": category,
                "cause": cause,
                "impact_description": impact_text,
                "likelihood": lk,
                "impact": im,
                "identified_on": identified,
                "review_on": identified + dt.timedelta(days=90),
                "owner_position": None if agency else planner,
            },
        )
        counts["risks"] += 1
        if number % 5 != 0:
            counts["mitigations"] += _mitigate(call, risk, mitigations, identified)
        if number % 4 == 0:
            services.risk_update(
                **call,
                risk=risk,
                data={"residual_likelihood": max(1, lk - 1), "residual_impact": im},
                reason=_("Residual level after the first mitigations."),
            )
        if number % 9 == 0:
            services.risk_close(
                **call,
                risk=risk,
                status="closed" if number % 18 == 0 else "accepted",
                reason="Realisasi triwulan III sudah sesuai target; risiko tidak lagi mengancam."
                if number % 18 == 0
                else "Level risiko dalam batas selera risiko; dipantau tanpa perlakuan tambahan.",
                on=identified + dt.timedelta(days=150),
            )
            counts["closed"] += 1
    for keyword, projected, threshold in WARNINGS:
        row = next((r for r in rows if keyword in r.target.indicator.name.lower()), None)
        if row is None or services.open_warning_risk(row.target) is not None:
            continue
        services.risk_raise_from_warning(
            **call,
            target=row.target,
            projected_percent=Decimal(projected),
            threshold=Decimal(threshold),
            on=dt.date(year, 7, 15),
        )
        counts["warnings"] += 1
    projects = list(
        Project.objects.filter(instansi=instansi, synthetic=False)
        .select_related("lead_agency")
        .order_by("code")
    )
    land = [p for p in projects if p.land_status in ("not_started", "in_progress")][:4]
    kpbu = [p for p in projects if p.funding == "kpbu"][:3]
    for kind, picked in (("land", land), ("kpbu", kpbu)):
        spec = next(s for s in PROJECT_RISKS if s[0] == kind)
        _key, title, category, cause, impact_text, lk, im, mitigations = spec
        for index, project in enumerate(picked):
            identified = dt.date(year, 2, 10) + dt.timedelta(days=index * 11)
            risk = services.risk_create(
                **call,
                instansi=instansi,
                data={
                    "project": project,
                    "title": title.format(project=project.name)[:300],
                    "category": category,
                    "cause": cause,
                    "impact_description": impact_text,
                    "likelihood": lk,
                    "impact": im - (index % 2),
                    "identified_on": identified,
                    "review_on": identified + dt.timedelta(days=60),
                },
            )
            counts["projects"] += 1
            counts["mitigations"] += _mitigate(call, risk, mitigations, identified)
    return counts


def demo_risks_run(ctx) -> str:
    """Register the demo risks of the current year (2026 when it has no agreements)."""
    instansi = ctx.instansi
    existing = Risk.objects.filter(instansi=instansi).count()
    if existing:
        return _("kept: %(n)d risks already") % {"n": existing}
    year = timezone.localdate().year
    if not AgreementTarget.objects.filter(
        agreement__instansi=instansi, agreement__year=year
    ).exists():
        year = 2026
    counts = demo_risks(instansi, year)
    return (
        _(
            "%(risks)d risks of targets, %(warnings)d raised from the early warning, "
            "%(projects)d of strategic projects, %(mitigations)d mitigations, %(closed)d "
            "closed or accepted"
        )
        % counts
    )


def demo_risks_wipe(ctx) -> str:
    """Remove the instansi's risks and their mitigations."""
    instansi = ctx.instansi
    Mitigation.objects.filter(risk__instansi=instansi).delete()
    n, _x = Risk.objects.filter(instansi=instansi).delete()
    return _("removed %(n)d risks") % {"n": n}
