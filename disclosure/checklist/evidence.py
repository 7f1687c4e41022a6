"""The records a checklist reads, loaded once per assessment in a fixed number of queries, and the facts
several rules derive from them (when a use happened, which consents are valid for it).
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import F

from productions.consent_status import (
    ConsentStatus,
    consent_validity,
    coverage,
    covers_kind,
    linked_decisions,
    linked_status,
    read_links,
    use_facts_fingerprint,
    use_need,
)
from productions.models import AIUse, Consent, LiteracyMeasure, Person
from productions.selectors import attach_tools
from productions.vocabularies import AUTHORSHIP_EXCEPTIONS, OperatorRole


@dataclass
class Evidence:
    """A production's records on an assessment date, as every rule reads them.

    Only the uses that `reads_people` picks carry their people and consents.
    """

    production: object
    on: datetime.date
    uses: list
    measures: list

    @cached_property
    def final_uses(self):
        return [use for use in self.uses if use.is_final]

    @cached_property
    def exposed_uses(self):
        """In the final work or in published material outside it (trailers, posters, press kits, social)."""
        return [use for use in self.uses if use.exposed]

    @cached_property
    def tools(self):
        """The tools the production uses, each once."""
        return sorted({use.tool.id: use.tool for use in self.uses if use.tool}.values(), key=lambda tool: tool.id)


def reads_people(use):
    """Whether a rule reads this use's people and consents: biometric data, performers, intimate imagery."""
    return (
        use.biometric_data
        or use.intimate_imagery
        or use.consent_kinds is not None
        or use.performer_use in AUTHORSHIP_EXCEPTIONS
    )


# A use's people, consents and coverage decisions, as load_evidence read them (productions.consent_status.read_links):
# none for the uses no rule reads them on.


def people(use):
    return use.linked_people if reads_people(use) else ()


def consents(use):
    return use.linked_consents if reads_people(use) else ()


def consents_of(use, person):
    return [consent for consent in consents(use) if consent.person_id == person.id]


def decisions(use):
    """Legal's coverage decisions on the use, by consent id."""
    return linked_decisions(use) if reads_people(use) else {}


def consent_status(use, on):
    """productions.consent_status.consent_status of the use on the date, from the records loaded."""
    return linked_status(use, on) if reads_people(use) else ConsentStatus.NOT_NEEDED


def valid(consent, on):
    """Approved, separately signed, not expired, not revoked on the date."""
    return consent_validity(consent, on) == ConsentStatus.COVERED


def covers(consent, use, on):
    """Whether a consent covers this use on a date: of the kind the use needs (any kind, where it needs no
    performer consent), within its term, and confirmed by legal to cover this very use (SAG-AFTRA: consent to one
    use is not consent to another; GDPR Art. 9(2)(a): explicit consent is specific)."""
    need = use_need(use)
    if need is not None and not covers_kind(consent, need):
        return False
    return coverage(consent, decisions(use), use_facts_fingerprint(use), on) == ConsentStatus.COVERED


# When a use happened: the prohibitions (Art. 5) and the high-risk rules (Annex III) bite on a use by its own
# dates. A use is established to predate a rule only when its last date is recorded and comes before it.


def ended_before(use, day):
    return use.used_until is not None and use.used_until < day


def undated(use):
    return use.used_until is None


def provided_by_us(tool):
    """The production built or substantially modified the system: it is its provider (Art. 3(3))."""
    return tool is not None and tool.our_role == OperatorRole.PROVIDER


# What the rules and the record labels read of a use and of its tool: loading only these makes thousands
# of uses several times cheaper. A field left out here would cost one query per use that reads it.
USE_FIELDS = (
    "id",
    "title",
    "phase",
    "department",
    # With performer_use, output_type and published_in below: what a coverage decision was made on.
    "description",
    "shots",
    "is_final",
    "published_in",
    "used_from",
    "used_until",
    "tool",
    "output_type",
    "digital_source_type",
    "performer_use",
    "deep_fake",
    "disclosure_method",
    "biometric_data",
    "emotion_recognition",
    "purpose",
    "biometric_categorisation",
    "sensitive_traits_inferred",
    "untargeted_face_scraping",
    "intimate_imagery",
    "people_informed",
    "screens_casting_or_hiring",
    "public_interest_text",
    "human_editorial_responsibility",
    "marking_kept_in_master",
    "handed_to_writers",
    "writers_informed",
)
TOOL_FIELDS = (
    "vendor",
    "product",
    "model_name",
    "model_version",
    "our_role",
    "general_purpose_model",
    "training_content_summary_url",
    "copyright_policy_url",
    "output_marking",
    "on_market_since",
)
PERSON_FIELDS = ("id", "name", "deceased", "union", "union_other")
CONSENT_FIELDS = (
    "id",
    "person",
    "kind",
    "review_state",
    "separately_signed",
    "not_separately_signed_reason",
    "covers_likeness",
    "covers_voice",
    "scope_description",
    "scope_shots",
    "media",
    "media_notes",
    "territory",
    "term_starts_on",
    "signed_on",
    "expires_on",
    "revoked_on",
    "gdpr_explicit_consent",
    "dpia_reference",
    "intimate_imagery_consent",
    "intimate_imagery_description",
    # Equity's and the SAG-AFTRA 2026 agreement's questions.
    "scan_on",
    "scan_business_reason",
    "data_retention",
    "data_deletion_on",
    "training_permission",
    "third_party_licensing",
    "performer_is_minor",
)


def _consents():
    # A consent's label names its person: the name comes with the consent, not from loading people.
    return Consent.objects.only(*CONSENT_FIELDS).annotate(person_name=F("person__name")).order_by("id")


def load_evidence(production, on):
    """The production's records in six queries at most, whatever their number: uses, tools, people, consents,
    coverage decisions and literacy measures.

    People and consents are fetched only for the uses whose rules read them: a few hundred of thousands.
    """
    uses = attach_tools(
        list(AIUse.objects.filter(production=production).only(*USE_FIELDS).order_by("id")), *TOOL_FIELDS
    )
    read_links(
        [use for use in uses if reads_people(use)],
        people=Person.objects.only(*PERSON_FIELDS).order_by("name", "id"),
        consents=_consents(),
    )
    return Evidence(
        production=production,
        on=on,
        uses=uses,
        measures=list(LiteracyMeasure.objects.filter(production=production).order_by("held_on", "id")),
    )
