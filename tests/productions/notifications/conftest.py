"""A production with two producers and two legal reviewers, a viewer and an outsider, and a performer's consent.

`told(event)` reads who was notified of an event, and how many times: each person once, or not at all.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from productions import services
from productions.models import Notification
from productions.vocabularies import ConsentKind, PerformerUse, ReviewState, Role
from tests.factories import AIUseFactory, ConsentFactory, MembershipFactory, PersonFactory, UserFactory
from tests.samples import PDF


@pytest.fixture
def producer2(production):
    return MembershipFactory(production=production, user=UserFactory(username="pedro"), role=Role.PRODUCER).user


@pytest.fixture
def colleague(production):
    """A second legal reviewer, to whom reviews are assigned."""
    return MembershipFactory(production=production, user=UserFactory(username="luis"), role=Role.LEGAL).user


@pytest.fixture
def team(producer, producer2, legal, colleague, viewer, outsider):
    """Everyone: who hears what is asserted against all of them."""
    return {"producer": producer, "producer2": producer2, "legal": legal, "colleague": colleague}


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín", role="Juan Salvo")


@pytest.fixture
def consent(performer):
    return ConsentFactory(person=performer, kind=ConsentKind.DIGITAL_ALTERATION)


def attach(actor, consent):
    return services.attach_consent_document(
        actor=actor, consent=consent, uploaded_file=SimpleUploadedFile("signed.pdf", PDF)
    )


@pytest.fixture
def submitted(team, consent):
    """Signed, then submitted by the producer (the submission itself is told)."""
    attach(team["producer"], consent)
    return services.submit_consent(actor=team["producer"], consent=consent)


def approved_consent(person, **fields):
    """An approved consent, as it stands after legal approved it (no event told)."""
    return ConsentFactory(person=person, review_state=ReviewState.APPROVED, reviewed_at=timezone.now(), **fields)


def covered_use(production, person, consent, **fields):
    """A use that relies on the consent, with legal's confirmation that the consent covers it."""
    return AIUseFactory(
        production=production,
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[person],
        consents=[consent],
        **fields,
    )


def told(event):
    """{username: how many times} notified of the event."""
    counts = {}
    for username in Notification.objects.filter(event=event).values_list("recipient__username", flat=True):
        counts[username] = counts.get(username, 0) + 1
    return counts


def once(*usernames):
    return dict.fromkeys(usernames, 1)


TODAY = datetime.date(2026, 6, 1)
