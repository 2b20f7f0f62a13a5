"""The impact report as tables and charts: one list of levels, each with its chart and the
tables behind it, which the page, the Excel workbook (one sheet per level) and the PDF all
render, so the three show the same numbers."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kinerja.core.excel import FORMULA_PREFIXES, _plain, xlsx_date_format

from . import impact_rules as rules

LEVELS = ("reaction", "learning", "behaviour", "results")


def _table(title: str, headers: list[str], rows: list[list[Any]], key: str) -> dict[str, Any]:
    return {"key": key, "title": title, "headers": headers, "rows": rows}


def _reaction(level: dict[str, Any]) -> tuple[list[dict], dict | None, str]:
    if not level.get("released"):
        return [], None, _("Reaction results are released when the feedback forms close.")
    aspects = ("relevance", "speaker", "material", "applicability")
    sessions = []
    for s in level.get("sessions") or ():
        means = s.get("means") or {}
        suppressed = bool(s.get("suppressed"))
        sessions.append(
            [
                s.get("title", ""),
                ", ".join(s.get("speakers") or ()),
                s.get("n"),
                *[None if suppressed else means.get(a) for a in aspects],
                None if suppressed else s.get("overall"),
                _("Too few responses to show") if suppressed else "",
            ]
        )
    org = level.get("organisation") or {}
    org_means = org.get("means") or {}
    org_suppressed = bool(org.get("suppressed"))
    organisation = [
        [label, org.get("n"), None if org_suppressed else org_means.get(key)]
        for key, label in (
            ("venue", _("Venue")),
            ("facilities", _("Facilities")),
            ("schedule", _("Schedule")),
        )
    ]
    tables = [
        _table(
            _("Sessions and speakers (mean, 1 to 5)"),
            [
                _("Session"),
                _("Speakers"),
                _("Responses"),
                _("Relevance"),
                _("Speaker"),
                _("Material"),
                _("Applicability"),
                _("Overall"),
                _("Note"),
            ],
            sessions,
            "reaction-sessions",
        ),
        _table(
            _("Organisation (mean, 1 to 5)"),
            [_("Aspect"), _("Responses"), _("Mean")],
            organisation,
            "reaction-organisation",
        ),
    ]
    chart = {
        "id": "chart-reaction",
        "unit": "",
        "max": 5,
        "categories": [row[0] for row in sessions],
        "series": [{"name": _("Overall"), "data": [row[7] for row in sessions]}],
    }
    note = (
        _("A session with too few responses shows no figure.")
        if any(row[8] for row in sessions)
        else ""
    )
    return tables, chart, note


def _learning(level: dict[str, Any]) -> tuple[list[dict], dict | None, str]:
    summary = [
        [level.get("n"), level.get("mean_pre"), level.get("mean_post"), level.get("mean_gain")]
    ]
    people = [
        [p.get("name", ""), p.get("agency", ""), p.get("pre"), p.get("post"), p.get("gain")]
        for p in level.get("participants") or ()
    ]
    tables = [
        _table(
            _("Pre- and post-test, the mean"),
            [_("Participants"), _("Pre-test"), _("Post-test"), _("Gain")],
            summary,
            "learning-summary",
        ),
        _table(
            _("Per participant"),
            [_("Name"), _("Agency"), _("Pre-test"), _("Post-test"), _("Gain")],
            people,
            "learning-participants",
        ),
    ]
    chart = {
        "id": "chart-learning",
        "unit": "",
        "categories": [_("Pre-test"), _("Post-test")],
        "series": [{"name": _("Mean"), "data": [level.get("mean_pre"), level.get("mean_post")]}],
    }
    return tables, chart, ""


def _behaviour(level: dict[str, Any]) -> tuple[list[dict], dict | None, str]:
    rows = [
        [
            _("%(n)s months") % {"n": m["month"]},
            m.get("due"),
            m.get("reviewed"),
            m.get("on_track"),
            m.get("share"),
        ]
        for m in level.get("months") or ()
    ]
    tables = [
        _table(
            _("Action plans on track, from all reviewers"),
            [_("Follow-up"), _("Due"), _("Reviewed"), _("On track"), _("Share on track (%)")],
            rows,
            "behaviour",
        )
    ]
    chart = {
        "id": "chart-behaviour",
        "unit": "%",
        "max": 100,
        "categories": [row[0] for row in rows],
        "series": [{"name": _("Share on track (%)"), "data": [row[4] for row in rows]}],
    }
    return tables, chart, ""


def _results(level: dict[str, Any]) -> tuple[list[dict], dict | None, str]:
    comparison = level["comparison"]
    summary = [
        [_("Linked targets (achievement %)"), level["linked"]["mean"], level["linked"]["n"]],
        [_("Unlinked targets (achievement %)"), level["unlinked"]["mean"], level["unlinked"]["n"]],
        [_("Trend of the earlier years (%)"), level["trend"]["mean"], level["trend"]["n"]],
        [_("Linked − unlinked (points)"), level["vs_unlinked"]["mean"], level["vs_unlinked"]["n"]],
        [_("Linked − trend (points)"), level["vs_trend"]["mean"], level["vs_trend"]["n"]],
        [_("Participants, all their targets (%)"), comparison["treated"], comparison["treated_n"]],
    ]
    if comparison["state"] == rules.COMPARED:
        summary += [
            [
                _("Heads who did not attend, all their targets (%)"),
                comparison["untreated"],
                comparison["untreated_n"],
            ],
            [
                _("Participants − heads who did not attend (points)"),
                comparison["difference"],
                comparison["untreated_n"],
            ],
        ]
    people = [
        [
            r["name"],
            r["position"],
            r["agency"],
            r["linked"],
            r["unlinked"],
            r["vs_unlinked"],
            r["trend"],
            r["vs_trend"],
            _("provisional")
            if r["provisional"]
            else ("" if r["has_links"] else _("no linked target")),
        ]
        for r in level["rows"]
    ]
    tables = [
        _table(
            _("Results of %(year)s, the participants' mean") % {"year": level["year"]},
            [_("Measure"), _("Mean"), _("Participants counted")],
            summary,
            "results-summary",
        ),
        _table(
            _("Per participant"),
            [
                _("Name"),
                _("Post"),
                _("Agency"),
                _("Linked (%)"),
                _("Unlinked (%)"),
                _("Linked − unlinked"),
                _("Trend (%)"),
                _("Linked − trend"),
                _("Note"),
            ],
            people,
            "results-participants",
        ),
    ]
    categories = [_("Linked"), _("Unlinked"), _("Trend")]
    data = [level["linked"]["mean"], level["unlinked"]["mean"], level["trend"]["mean"]]
    if comparison["state"] == rules.COMPARED:
        categories.append(_("Did not attend"))
        data.append(comparison["untreated"])
    chart = {
        "id": "chart-results",
        "unit": "%",
        "categories": categories,
        "series": [{"name": _("Achievement (%)"), "data": data}],
    }
    if comparison["state"] == rules.NO_UNTREATED:
        note = _("Every head of agency of the audience attended: there is no untreated group.")
    elif comparison["state"] == rules.TOO_FEW:
        note = _(
            "Fewer than %(n)s heads of agency who did not attend have a figure: their mean is "
            "not shown."
        ) % {"n": level["policy"]["untreated_minimum"]}
    else:
        note = ""
    return tables, chart, note


TITLES = {
    "reaction": lambda: _("Reaction"),
    "learning": lambda: _("Learning"),
    "behaviour": lambda: _("Behaviour"),
    "results": lambda: _("Results"),
}
BUILDERS = {
    "reaction": _reaction,
    "learning": _learning,
    "behaviour": _behaviour,
    "results": _results,
}


def impact_levels(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The four levels in order: title, whether available, a note, the chart and its tables."""
    levels = []
    for key in LEVELS:
        level = report[key]
        entry = {"key": key, "title": TITLES[key](), "available": level["available"]}
        if level["available"]:
            tables, chart, note = BUILDERS[key](level)
        else:
            tables, chart, note = [], None, _("Not available yet.")
        entry.update(
            tables=tables,
            chart=chart,
            note=note,
            provisional=key == "results" and report["provisional"],
        )
        levels.append(entry)
    return levels


def chart_json(levels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The charts with plain numbers (for the page's script)."""
    charts = []
    for level in levels:
        chart = level["chart"]
        if chart is None:
            continue
        charts.append(
            {
                **chart,
                "series": [
                    {
                        "name": s["name"],
                        "data": [None if v is None else float(v) for v in s["data"]],
                    }
                    for s in chart["series"]
                ],
            }
        )
    return charts


# The workbook ------------------------------------------------------------------------------


def _cell(ws, value: Any, bold: bool = False):
    value = _plain(value) if not isinstance(value, Decimal) else value
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        # Text a spreadsheet would run as a formula stays text.
        cell.data_type = "s"
    if hasattr(value, "year") and not isinstance(value, str):
        cell.number_format = xlsx_date_format()
    if bold:
        cell.font = Font(bold=True)
    return cell


def impact_workbook(report: dict[str, Any], levels: list[dict[str, Any]] | None = None) -> bytes:
    """One sheet per level: the event, the provisional mark and each table under its title."""
    levels = levels if levels is not None else impact_levels(report)
    wb = Workbook(write_only=True)
    event = report["event"]
    for level in levels:
        ws = wb.create_sheet(title=level["title"][:31])
        widths = max((len(t["headers"]) for t in level["tables"]), default=1)
        for i in range(widths):
            ws.column_dimensions[get_column_letter(i + 1)].width = 36 if i == 0 else 16
        ws.append([_cell(ws, f"{event['title']} · {level['title']}", bold=True)])
        if level["provisional"]:
            ws.append(
                [_cell(ws, _("PROVISIONAL: the year's annual results are not all in."), True)]
            )
        if level["note"]:
            ws.append([_cell(ws, level["note"])])
        for table in level["tables"]:
            ws.append([])
            ws.append([_cell(ws, table["title"], bold=True)])
            ws.append([_cell(ws, h, bold=True) for h in table["headers"]])
            for row in table["rows"]:
                ws.append([_cell(ws, v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
