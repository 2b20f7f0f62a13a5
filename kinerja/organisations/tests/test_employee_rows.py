"""The employee table's rows, written in Python, equal what the template wrote for them."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from kinerja.organisations.choices import EmployeeStatus
from kinerja.organisations.models import Employee
from kinerja.organisations.templatetags.employee_rows import employee_rows
from kinerja.organisations.tests.factories import EmployeeFactory

# The rows as _employee_table.html wrote them before the tag: the reference.
TEMPLATE_ROWS = """{% load i18n kinerja_format %}{% for employee in employees %}
<tr>
  <td><a href="{{ employee.get_absolute_url }}">{{ employee.display_name }}</a>{% if not employee.is_active %} <span class="badge bg-secondary-lt">{% translate "inactive" %}</span>{% endif %}</td>
  <td class="nip">{{ employee.nip|nip|default:"—" }}</td>
  <td class="d-none d-md-table-cell">{{ employee.grade_label|default:"—" }}</td>
  <td class="d-none d-md-table-cell">{{ employee.position.title|default:"—" }}</td>
  <td class="d-none d-lg-table-cell">{{ employee.position.eselon|default:"—" }}</td>
  <td>{{ employee.unit.name }}</td>
  <td class="d-none d-lg-table-cell">{{ employee.unit.agency.name|default:"—" }}</td>
  <td><span class="badge {% if employee.status == 'pns' %}bg-green-lt{% elif employee.status == 'pppk' %}bg-blue-lt{% else %}bg-yellow-lt{% endif %}">{{ employee.get_status_display }}</span></td>
</tr>
{% endfor %}"""  # noqa: E501


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("language", ["id", "en"])
def test_rows_equal_the_template_rows(world, language):
    EmployeeFactory(
        unit=world.division_a,
        name='Ana <b>"Tari"</b> & Co',
        front_title="Dr.",
        back_title="M.Si.",
        grade="III/a",
        is_active=False,
    )
    EmployeeFactory(
        unit=world.agency_b, status=EmployeeStatus.NON_ASN, nip=None, grade="", name="Honorer"
    )
    EmployeeFactory(unit=world.division_a, status=EmployeeStatus.PPPK, grade="IX", name="Pppk")
    employees = list(
        Employee.objects.select_related("unit", "unit__agency", "position").order_by("name", "pk")
    )
    assert len(employees) >= 8
    with translation.override(language):
        expected = Template(TEMPLATE_ROWS).render(Context({"employees": employees}))
        got = employee_rows(employees)
    assert _squeeze(got) == _squeeze(expected)
    assert "&lt;b&gt;&quot;Tari&quot;&lt;/b&gt; &amp; Co" in got
    assert ("nonaktif" if language == "id" else "inactive") in got
