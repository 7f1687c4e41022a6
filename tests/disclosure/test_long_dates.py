"""Dates in documents and their pages: French writes the first of the month 1er."""

import datetime

from django.template import Context, Template
from django.utils import translation

MOMENT = datetime.datetime(2026, 8, 1, 10, 30, tzinfo=datetime.UTC)


def rendered(text, **context):
    return Template("{% load long_dates %}" + text).render(Context(context))


def test_the_first_of_the_month_is_1er_in_french_and_1_in_english():
    with translation.override("fr"):
        assert rendered("{{ day|long_date }}", day=datetime.date(2026, 8, 1)) == "1er août 2026"
        assert rendered("{{ day|long_date }}", day=datetime.date(2026, 8, 2)) == "2 août 2026"
    with translation.override("en"):
        assert rendered("{{ day|long_date }}", day=datetime.date(2026, 8, 1)) == "1 August 2026"


def test_a_moment_is_written_in_local_time_with_its_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    with translation.override("fr"):
        assert rendered("{{ moment|long_datetime }}", moment=MOMENT) == "1er août 2026, 12:30 CEST"
        assert rendered("{{ moment|long_date }}", moment=MOMENT) == "1er août 2026"


def test_nothing_is_written_for_no_date():
    assert rendered("[{{ day|long_date }}][{{ day|long_datetime }}]", day=None) == "[][]"
