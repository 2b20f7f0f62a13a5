"""`{% goal_nodes roots editable extendable this_year %}`: the goal tree's items, in Python.

The goal tree is one page for the whole regional plan: with a province's 124 goals and 199
indicators the template engine made 740 ``{% url %}`` calls and 4,750 variable lookups for it,
most of a request's time. The same HTML written here reverses each link once per page and
fills in the ids. Every value is escaped; ``tests/test_goal_tree_tag.py`` holds the output
equal to what ``partials/_goal_node.html`` (the reference) writes.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ..choices import GoalLevel
from ..models import Indicator

register = template.Library()

MARKER = 999_999_999_999


def _pattern(name: str, *rest) -> str:
    """The URL of ``name`` with ``{}`` in place of the object's id (one reverse per page)."""
    return escape(reverse(name, args=[MARKER, *rest])).replace(str(MARKER), "{}")


class _Writer:
    def __init__(self, editable, extendable, this_year) -> None:
        self.editable, self.extendable = editable, extendable
        self.goal_update = _pattern("performance:goal_update")
        self.indicator_create = _pattern("performance:indicator_create")
        self.goal_add_child = _pattern("performance:goal_add_child")
        self.indicator_update = _pattern("performance:indicator_update")
        self.target_edit = _pattern("performance:target_edit", this_year)
        self.levels = {value: escape(str(label)) for value, label in GoalLevel.choices}
        field = Indicator._meta.get_field
        self.units = {v: escape(str(label)) for v, label in field("measure_unit").flatchoices}
        self.polarities = {
            v: escape(str(label).lower()) for v, label in field("polarity").flatchoices
        }
        self.edit = escape(gettext("Edit"))
        self.add_indicator = escape(gettext("Add indicator"))
        self.add_sub_goal = escape(gettext("Add sub-goal"))
        self.indicator = escape(gettext("Indicator"))
        self.iku = f' <span class="badge bg-green-lt">{escape(gettext("IKU"))}</span>'
        self.target_year = escape(gettext("Target %(year)s") % {"year": this_year})
        self.out: list[str] = []

    def node(self, node) -> None:
        out, goal = self.out, node.goal
        pk = goal.pk
        editable = pk in self.editable
        out.append(
            f'<li id="goal-{pk}" class="mb-2" data-testid="goal"><div>'
            f'<span class="badge bg-secondary-lt">'
            f"{self.levels.get(goal.level) or escape(goal.get_level_display())}</span> "
            f"<strong>{escape(goal.code)}</strong> {escape(goal.name)} "
        )
        if goal.unit_id:
            out.append(f'<span class="text-secondary">· {escape(goal.unit.name)}</span> ')
        tags = getattr(goal, "tree_tags", None)
        for tag in goal.tags.all() if tags is None else tags:
            out.append(f'<span class="badge bg-azure-lt ms-1">{escape(tag.code)}</span>')
        if editable:
            out.append(
                f' <a href="{self.goal_update.format(pk)}" class="ms-2 small" '
                f'data-testid="goal-edit">{self.edit}</a> '
                f'<a href="{self.indicator_create.format(pk)}" class="ms-2 small">'
                f"{self.add_indicator}</a>"
            )
        if pk in self.extendable:
            out.append(
                f' <a href="{self.goal_add_child.format(pk)}" class="ms-2 small">'
                f"{self.add_sub_goal}</a>"
            )
        out.append("</div>")
        if node.indicators:
            out.append('<ul class="list-unstyled ms-4 mt-1">')
            for indicator in node.indicators:
                self.indicator_item(indicator, editable)
            out.append("</ul>")
        if node.children:
            out.append('<ul class="list-unstyled ms-4 mt-2">')
            for child in node.children:
                self.node(child)
            out.append("</ul>")
        out.append("</li>")

    def indicator_item(self, indicator, editable: bool) -> None:
        pk = indicator.pk
        unit = self.units.get(indicator.measure_unit)
        if unit is None:
            unit = escape(indicator.get_measure_unit_display())
        polarity = self.polarities.get(indicator.polarity)
        if polarity is None:
            polarity = escape(str(indicator.get_polarity_display()).lower())
        self.out.append(
            f'<li data-testid="indicator" id="indicator-{pk}">'
            f'<span class="text-secondary">{self.indicator}</span> '
            f"{escape(indicator.code)} {escape(indicator.name)} ({unit}, {polarity})"
            f"{self.iku if indicator.is_key else ''}"
        )
        if editable:
            self.out.append(
                f' <a href="{self.indicator_update.format(pk)}" class="ms-2 small">'
                f'{self.edit}</a> <a href="{self.target_edit.format(pk)}" class="ms-2 small">'
                f"{self.target_year}</a>"
            )
        self.out.append(" </li>")


@register.simple_tag
def goal_nodes(roots, editable, extendable, this_year) -> SafeString:
    """The ``<li>`` of each root goal with its indicators and sub-goals (``GoalNode``s of
    ``selectors.goal_tree``; reads ``goal.unit`` and ``goal.tree_tags``, else ``goal.tags``:
    select them with the goals)."""
    writer = _Writer(editable, extendable, this_year)
    for node in roots:
        writer.node(node)
    return mark_safe("".join(writer.out))  # noqa: S308 - every value above is escaped
