"""What a rule is and what it finds: statuses, findings and the small builders the rules combine.

Statuses: met (the records positively establish it); attention (a fact is unknown, a determination is
unmade or the law needs judgement: the explanation says what to decide); not met; not applicable (the
obligation is not in force on the assessment date: the explanation says from when, and what it would find).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import get_language

from disclosure.legal_basis import LegalDate, Reference
from disclosure.models import ItemStatus

MET, ATTENTION, NOT_MET, NOT_APPLICABLE = (
    ItemStatus.MET,
    ItemStatus.ATTENTION,
    ItemStatus.NOT_MET,
    ItemStatus.NOT_APPLICABLE,
)
WORST_FIRST = [NOT_MET, ATTENTION, MET, NOT_APPLICABLE]


class Fine(models.TextChoices):
    """Which tier of AI Act Art. 99 a breach of the rule's duty falls under, when the duty is the production's."""

    NONE = "", "none"
    PROHIBITED_PRACTICE = "prohibited_practice", "Art. 99(3)"
    OPERATOR_DUTY = "operator_duty", "Art. 99(4)"


def long_date(value):
    """As the documents write dates: 2 August 2026, 2 août 2026, 1er août 2026 (French ordinal first)."""
    text = date_format(value, "j F Y")
    if value.day == 1 and (get_language() or "").startswith("fr"):
        return "1er" + text[1:]
    return text


@dataclass(frozen=True)
class Finding:
    status: ItemStatus
    explanation: str
    records: tuple = ()
    own_duty: bool = True  # False where the duty is someone else's (a provider's): no fine is printed
    legal_basis: Reference | None = None  # where the rule's basis depends on the records (the agreement in force)

    def adding(self, sentence):
        return Finding(self.status, f"{self.explanation} {sentence}", self.records, self.own_duty, self.legal_basis)

    def but(self, **changes):
        fields = {
            "status": self.status,
            "explanation": self.explanation,
            "records": self.records,
            "own_duty": self.own_duty,
            "legal_basis": self.legal_basis,
        }
        return Finding(**{**fields, **changes})


def problem(status, found, message, *, also=(), **params):
    """A finding about the records `found` (none found: no problem); `message` may use %(count)d."""
    if not found:
        return None
    return Finding(status, str(message % {"count": len(found), **params}), (*found, *also))


def unless(condition, status, message, records=(), **params):
    return None if condition else Finding(status, str(message % params) if params else str(message), tuple(records))


def met(message, records=(), **params):
    return Finding(MET, str(message % {"count": len(records), **params}), tuple(records))


def outcome(*problems, otherwise):
    """The worst of the problems found, each explained, or `otherwise` when there is none."""
    found = sorted((p for p in problems if p), key=lambda p: WORST_FIRST.index(p.status))
    if not found:
        return otherwise
    return Finding(
        found[0].status,
        " ".join(p.explanation for p in found),
        tuple(record for p in found for record in p.records),
    )


@dataclass(frozen=True)
class Rule:
    """One checklist item: declared once, evaluated on a production's evidence."""

    id: str
    title: str
    legal_basis: Reference
    applies_from: LegalDate
    evaluate: Callable
    fine: Fine = Fine.NONE
    do_not_call_in_templates = True  # templates read a rule's fields; calling it needs the evidence

    def __call__(self, evidence):
        return self.evaluate(evidence)


def rule(item_id, title, *, basis, applies_from, fine=Fine.NONE):
    """Declare a rule: the decorated function takes the evidence and returns a Finding."""

    def declare(evaluate):
        return Rule(item_id, title, basis, applies_from, evaluate, fine)

    return declare
