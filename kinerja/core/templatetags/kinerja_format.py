"""`{{ employee.nip|nip }}`: the NIP in its grouped form on every page (see core.formatting)."""

from django import template

from kinerja.core.formatting import format_nip

register = template.Library()


@register.filter(name="nip")
def nip_filter(value) -> str:
    return format_nip(value)
