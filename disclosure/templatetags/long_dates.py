"""Dates as the documents and their pages write them: 2 August 2026, 2 août 2026, and 1er août 2026."""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from disclosure.checklist.findings import long_date as _long_date

register = template.Library()


def _local(value):
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def long_date(value):
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return _long_date(value)


@register.filter
def long_datetime(value):
    """A moment with its time and zone: 1er décembre 2026, 20:38 CET."""
    if not value:
        return ""
    local = _local(value)
    return f"{_long_date(local.date())}, {date_format(local, 'H:i T')}"
