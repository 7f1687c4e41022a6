"""Small builders the rule tables combine: each takes the production and arranges records on it."""

import datetime
from functools import partial

from django.utils import timezone

from disclosure.checklist import RULES_BY_ID, assess
from disclosure.models import ItemStatus
from productions.models import Production
from productions.vocabularies import ConsentKind, DigitalSourceType, OutputMarking, ReviewState
from tests.factories import AIToolFactory, AIUseFactory, ConsentFactory, LiteracyMeasureFactory, PersonFactory

MET, ATTENTION, NOT_MET, NOT_APPLICABLE = (
    ItemStatus.MET,
    ItemStatus.ATTENTION,
    ItemStatus.NOT_MET,
    ItemStatus.NOT_APPLICABLE,
)
EVERYTHING_IN_FORCE = datetime.date(2028, 1, 1)


def item(production, item_id, on=EVERYTHING_IN_FORCE):
    assert item_id in RULES_BY_ID, item_id
    return next(result for result in assess(production, on=on).items if result.rule.id == item_id)


def record_refs(result):
    return {(record["type"], record["id"]) for record in result.records}


def nothing(production):
    return None


def a_use(**fields):
    """An AI use (final VFX video by default); callable values are factories called at arrange time."""

    def arrange(production):
        values = {name: value() if callable(value) else value for name, value in fields.items()}
        return AIUseFactory(production=production, **values)

    return arrange


def both(*arrangements):
    def arrange(production):
        for arrangement in arrangements:
            arrangement(production)

    return arrange


def production_with(**fields):
    """Sets fields on the production through the ORM save (the audit trail is not what these tests read)."""

    def arrange(production):
        for name, value in fields.items():
            setattr(production, name, value)
        production.save()

    return arrange


def literacy(departments, held_on=datetime.date(2026, 1, 15)):
    return lambda production: LiteracyMeasureFactory(production=production, departments=departments, held_on=held_on)


def approved(person, kind=ConsentKind.DIGITAL_ALTERATION, **fields):
    return ConsentFactory(
        person=person, kind=kind, review_state=ReviewState.APPROVED, reviewed_at=timezone.now(), **fields
    )


def consent_in(state, kind=ConsentKind.DIGITAL_ALTERATION, **fields):
    """A consent maker in a review state: approved, submitted, draft, rejected, changes requested."""

    def make(person):
        if state == ReviewState.APPROVED:
            return approved(person, kind, **fields)
        decided = state in (ReviewState.REJECTED, ReviewState.CHANGES_REQUESTED)
        extra = {"reviewed_at": timezone.now(), "review_reason": "Not acceptable as drafted."} if decided else {}
        return ConsentFactory(person=person, kind=kind, review_state=state, **extra, **fields)

    return make


def on_person(performer_use, consent=None, deceased=False, person_fields=None, **fields):
    """A use depicting one person; `consent(person)` makes the consent it relies on, if any."""

    def arrange(production):
        person = PersonFactory(production=production, deceased=deceased, **(person_fields or {}))
        consents = [consent(person)] if consent else []
        return AIUseFactory(
            production=production, performer_use=performer_use, people=[person], consents=consents, **fields
        )

    return arrange


def tool(**fields):
    return partial(AIToolFactory, **fields)


unmarked_tool = tool(output_marking=OutputMarking.NONE, on_market_since=datetime.date(2026, 9, 1))
marking_tool = tool(output_marking=OutputMarking.C2PA)
generated = {"digital_source_type": DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA}


def set_production(production, **fields):
    Production.objects.filter(pk=production.pk).update(**fields)
    production.refresh_from_db()
