"""Assessing a production: its records loaded once, every rule run on them, legal's attestations set beside
the computed statuses (never in their place), and each item's fine where the duty is the production's own.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure import legal_basis as law
from disclosure.checklist.evidence import load_evidence
from disclosure.checklist.findings import ATTENTION, NOT_APPLICABLE, NOT_MET, Finding, Fine, Rule, long_date
from disclosure.checklist.rules import RULES
from disclosure.models import ChecklistAttestation, ItemStatus
from productions.models import AITool, AIUse, Consent, LiteracyMeasure, Person
from productions.vocabularies import CompanySize


@dataclass
class ItemResult:
    rule: Rule
    status: ItemStatus
    explanation: str
    records: list
    attestation: ChecklistAttestation | None
    in_force: bool
    legal_basis: str
    penalty: str

    @property
    def attestation_differs(self):
        return self.attestation is not None and self.attestation.status != self.status


@dataclass
class Checklist:
    production: object
    assessed_on: datetime.date
    items: list[ItemResult]
    summary: dict = field(default_factory=dict)

    @property
    def summary_rows(self):
        """(status, count) in the order of ItemStatus, for templates."""
        return [(status, self.summary[status.value]) for status in ItemStatus]

    @property
    def not_yet_in_force(self):
        return [item for item in self.items if not item.in_force]

    def as_data(self):
        """The checklist as JSON-ready data in a stable order: attached to the PDF and hashed."""
        production = self.production
        return {
            "production": {
                "id": production.pk,
                "title": production.title,
                "cut": production.cut,
                "eu_release_date": production.eu_release_date.isoformat() if production.eu_release_date else None,
                "company_size": production.company_size,
            },
            "assessed_on": self.assessed_on.isoformat(),
            "summary": dict(self.summary),
            "items": [_item_data(item) for item in self.items],
        }


def _item_data(item):
    attestation = item.attestation
    return {
        "id": item.rule.id,
        "title": str(item.rule.title),
        "legal_basis": item.legal_basis,
        "applies_from": item.rule.applies_from.isoformat(),
        "in_force": item.in_force,
        "status": item.status.value,
        "explanation": item.explanation,
        "penalty": item.penalty,
        "records": [{"type": r["type"], "id": r["id"], "label": r["label"]} for r in item.records],
        "attestation": None
        if attestation is None
        else {
            "status": attestation.status,
            "comment": attestation.comment,
            "by": attestation.attested_by.get_username() if attestation.attested_by else None,
            "at": attestation.attested_at.isoformat(),
        },
    }


def penalty(fine, company_size):
    """The fine a breach of a production's own duty risks (Art. 99), in the words for its size class."""
    if fine == Fine.PROHIBITED_PRACTICE:
        return {
            CompanySize.SME: _(
                "AI Act Art. 99(3) and 99(6): fines up to EUR 35 million or 7% of worldwide annual turnover,"
                " whichever is lower for an SME."
            ),
            # Art. 99(6a) gives small mid-caps the lower amount for the fines of 99(4) and (5) only.
            CompanySize.SMALL_MID_CAP: _(
                "AI Act Art. 99(3): fines up to EUR 35 million or 7% of worldwide annual turnover, whichever is"
                " higher; the small mid-cap relief of Art. 99(6a) does not extend to prohibited practices."
            ),
            CompanySize.OTHER: _(
                "AI Act Art. 99(3): fines up to EUR 35 million or 7% of worldwide annual turnover, whichever is higher."
            ),
        }.get(
            company_size,
            _(
                "AI Act Art. 99(3): fines up to EUR 35 million or 7% of worldwide annual turnover, whichever is"
                " higher; for an SME, whichever is lower (Art. 99(6)). Record the company's size class."
            ),
        )
    if fine == Fine.OPERATOR_DUTY:
        return {
            CompanySize.SME: _(
                "AI Act Art. 99(4) and 99(6): fines up to EUR 15 million or 3% of worldwide annual turnover,"
                " whichever is lower for an SME."
            ),
            CompanySize.SMALL_MID_CAP: _(
                "AI Act Art. 99(4) and 99(6a): fines up to EUR 15 million or 3% of worldwide annual turnover,"
                " whichever is lower for a small mid-cap."
            ),
            CompanySize.OTHER: _(
                "AI Act Art. 99(4): fines up to EUR 15 million or 3% of worldwide annual turnover, whichever is higher."
            ),
        }.get(
            company_size,
            _(
                "AI Act Art. 99(4): fines up to EUR 15 million or 3% of worldwide annual turnover, whichever is"
                " higher; for an SME or a small mid-cap, whichever is lower (Art. 99(6), (6a)). Record the company's"
                " size class."
            ),
        )
    return ""


RECORD_TYPES = {
    AIUse: "ai_use",
    Consent: "consent",
    AITool: "tool",
    Person: "person",
    LiteracyMeasure: "literacy_measure",
}


def _label(record):
    if isinstance(record, AIUse):
        return record.title
    if isinstance(record, Person):
        return record.name
    if isinstance(record, Consent):
        return f"{record.person_name}: {record.get_kind_display()}"
    return str(record)


def _references(records):
    unique = {(RECORD_TYPES[type(record)], record.pk): record for record in records}
    return [{"type": kind, "id": pk, "label": _label(unique[kind, pk])} for kind, pk in sorted(unique)]


def _evaluate(checklist_rule, evidence):
    finding = checklist_rule(evidence)
    if evidence.on >= checklist_rule.applies_from:
        return finding
    not_yet = _("Not in force on the assessment date: applies from %(date)s.") % {
        "date": long_date(checklist_rule.applies_from)
    }
    if finding.status in (NOT_MET, ATTENTION):
        # Still say what it would find, so the production can prepare.
        once = _("Once it applies: %(explanation)s") % {"explanation": finding.explanation}
        return finding.but(status=NOT_APPLICABLE, explanation=f"{not_yet} {once}")
    return Finding(NOT_APPLICABLE, not_yet, legal_basis=finding.legal_basis)


def _penalty(checklist_rule, finding, production, on):
    if not finding.own_duty or on < law.PENALTIES or on < checklist_rule.applies_from:
        return ""
    return penalty(checklist_rule.fine, production.company_size)


def assess(production, on=None) -> Checklist:
    """The checklist of a production on a date: its EU release date by default, else today.

    The caller has checked the user may read the production.
    """
    on = on or production.eu_release_date or timezone.localdate()
    evidence = load_evidence(production, on)
    attestations = {
        attestation.item_id: attestation
        for attestation in ChecklistAttestation.objects.filter(production=production).select_related("attested_by")
    }
    items = []
    for checklist_rule in RULES:
        finding = _evaluate(checklist_rule, evidence)
        items.append(
            ItemResult(
                rule=checklist_rule,
                status=finding.status,
                explanation=finding.explanation,
                records=_references(finding.records),
                attestation=attestations.get(checklist_rule.id),
                in_force=on >= checklist_rule.applies_from,
                legal_basis=str(finding.legal_basis or checklist_rule.legal_basis),
                penalty=_penalty(checklist_rule, finding, production, on),
            )
        )
    summary = {status.value: sum(1 for item in items if item.status == status) for status in ItemStatus}
    return Checklist(production=production, assessed_on=on, items=items, summary=summary)
