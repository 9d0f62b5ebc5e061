"""Filters for the one-stop forms and pages: money, moments and working days written the Vietnamese way."""

from django import template

from egov.core.text import format_vnd
from egov.onestop import forms_pdf

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """50000 -> "50.000 đ"."""
    return format_vnd(amount)


@register.filter
def moment(value) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time."""
    return forms_pdf.format_moment(value)


@register.filter
def moment_long(value) -> str:
    """"08 giờ 30 phút, ngày 14/07/2025"."""
    return forms_pdf.format_moment_long(value)


@register.filter
def date_long(value) -> str:
    """"ngày 14 tháng 07 năm 2025"."""
    return forms_pdf.format_date_long(value)


@register.filter
def workdays(value) -> str:
    """2.5 -> "2,5"."""
    return forms_pdf.format_days(value)
