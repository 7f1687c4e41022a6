"""The AI Act-aligned checklist (domain.md §3): each item declared once, evaluated from the records.

Read top to bottom: each rule states its id, title, legal basis and the date it applies from (all
dates and references come from legal_basis.py), then how its status follows from the records.
`assess` loads a production's records once, runs every rule on them and sets the legal
attestations beside the computed statuses, never in their place.

Statuses: met; attention (to check, or allowed for now); not met; not applicable (the obligation is
not in force on the assessment date: the explanation says from when it applies and what it would find).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import F, Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from disclosure import legal_basis as law
from disclosure.models import ChecklistAttestation, ItemStatus
from productions.consent_status import BLOCKING_STATUSES, ConsentStatus, consent_status
from productions.models import AITool, AIUse, Consent, LiteracyMeasure, Person
from productions.vocabularies import (
    AI_GENERATED_SOURCE_TYPES,
    AUDIOVISUAL_OUTPUT_TYPES,
    DeepFake,
    Department,
    DigitalSourceType,
    DisclosureMethod,
    EmotionRecognition,
    OutputMarking,
    OutputType,
    PerformerUse,
    TriState,
)

MET, ATTENTION, NOT_MET, NOT_APPLICABLE = (
    ItemStatus.MET,
    ItemStatus.ATTENTION,
    ItemStatus.NOT_MET,
    ItemStatus.NOT_APPLICABLE,
)
_WORST_FIRST = [NOT_MET, ATTENTION, MET, NOT_APPLICABLE]


def long_date(value):
    """As the documents write dates: 2 August 2026, 2 août 2026."""
    return date_format(value, "j F Y")


# What the rules read and return


@dataclass
class Evidence:
    """A production's records, loaded once, that every rule reads.

    Only the uses that `_reads_people` picks carry their people and consents.
    """

    production: object
    on: datetime.date
    uses: list
    measures: list
    deceased_ids: frozenset

    @cached_property
    def final_uses(self):
        return [use for use in self.uses if use.is_final]

    @cached_property
    def tools(self):
        """The tools the production uses, each once."""
        return sorted({use.tool.id: use.tool for use in self.uses if use.tool}.values(), key=lambda tool: tool.id)


@dataclass(frozen=True)
class Finding:
    status: ItemStatus
    explanation: str
    records: tuple = ()

    def adding(self, sentence):
        return Finding(self.status, f"{self.explanation} {sentence}", self.records)


def problem(status, found, message, *, also=(), **params):
    """A finding about the records `found` (none found: no problem); `message` may use %(count)d."""
    if not found:
        return None
    return Finding(status, str(message % {"count": len(found), **params}), (*found, *also))


def unless(condition, status, message, records=()):
    return None if condition else Finding(status, str(message), tuple(records))


def met(message, records=(), **params):
    return Finding(MET, str(message % {"count": len(records), **params}), tuple(records))


def outcome(*problems, otherwise):
    """The worst of the problems found, each explained, or `otherwise` when there is none."""
    found = sorted((p for p in problems if p), key=lambda p: _WORST_FIRST.index(p.status))
    if not found:
        return otherwise
    return Finding(
        found[0].status,
        " ".join(p.explanation for p in found),
        tuple(record for p in found for record in p.records),
    )


# The rules, in the order of the document


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    legal_basis: str
    applies_from: datetime.date
    evaluate: Callable[[Evidence], Finding]
    penalty: str = ""


ITEMS: list[Rule] = []


def rule(item_id, title, *, basis, applies_from, penalty=""):
    def declare(evaluate):
        ITEMS.append(Rule(item_id, title, basis, applies_from, evaluate, penalty))
        return evaluate

    return declare


@rule(
    "inventory",
    gettext_lazy("Every AI use names its tool; every tool names its vendor and model"),
    basis=law.AI_ACT_OPERATORS,
    applies_from=law.AI_ACT_IN_FORCE,
)
def inventory(r):
    without_tool = [use for use in r.uses if use.tool is None]
    unnamed_tools = [tool for tool in r.tools if not (tool.vendor and tool.model_name)]
    return outcome(
        problem(
            NOT_MET,
            without_tool,
            ngettext_lazy("%(count)d AI use names no tool.", "%(count)d AI uses name no tool.", "count"),
        ),
        problem(
            ATTENTION,
            unnamed_tools,
            ngettext_lazy(
                "%(count)d tool lacks its vendor or model name in the catalogue.",
                "%(count)d tools lack their vendor or model name in the catalogue.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The AI use recorded names its tool, with vendor and model.",
                "Each of the %(count)d AI uses recorded names its tool, with vendor and model.",
                "count",
            ),
            count=len(r.uses),
        )
        if r.uses
        else met(gettext_lazy("No AI use is recorded for this production.")),
    )


@rule(
    "ai-literacy",
    gettext_lazy("AI literacy measures for every department that uses AI"),
    basis=law.AI_ACT_LITERACY,
    applies_from=law.PROHIBITIONS_AND_LITERACY,
)
def ai_literacy(r):
    held = [measure for measure in r.measures if measure.held_on <= r.on]
    covered = {department for measure in held for department in measure.departments}
    uncovered = [use for use in r.uses if use.department not in covered]
    missing = {use.department for use in uncovered}
    return outcome(
        problem(
            NOT_MET,
            uncovered,
            gettext_lazy("No AI literacy measure was held on or before the assessment date for: %(departments)s."),
            departments=", ".join(str(d.label) for d in Department if d in missing),
        ),
        otherwise=met(
            gettext_lazy("Every department that uses AI had an AI literacy measure on or before the assessment date."),
            held,
        )
        if r.uses
        else met(gettext_lazy("No department uses AI.")),
    )


@rule(
    "prohibited-practices",
    gettext_lazy("No prohibited AI practice"),
    basis=law.AI_ACT_PROHIBITED_PRACTICES,
    applies_from=law.PROHIBITIONS_AND_LITERACY,
    penalty=law.PENALTY_PROHIBITED_PRACTICES,
)
def prohibited_practices(r):
    return outcome(
        problem(
            NOT_MET,
            [use for use in r.uses if use.emotion_recognition == EmotionRecognition.CAST_CREW_AT_WORK],
            ngettext_lazy(
                "%(count)d AI use infers the emotions of cast or crew at work (Art. 5(1)(f)).",
                "%(count)d AI uses infer the emotions of cast or crew at work (Art. 5(1)(f)).",
                "count",
            ),
        ),
        problem(
            NOT_MET,
            [use for use in r.uses if use.sensitive_traits_inferred],
            ngettext_lazy(
                "%(count)d AI use infers sensitive traits from biometric data (Art. 5(1)(g)).",
                "%(count)d AI uses infer sensitive traits from biometric data (Art. 5(1)(g)).",
                "count",
            ),
        ),
        problem(
            NOT_MET,
            [use for use in r.uses if use.untargeted_face_scraping],
            ngettext_lazy(
                "%(count)d AI use relies on untargeted scraping of facial images (Art. 5(1)(e)).",
                "%(count)d AI uses rely on untargeted scraping of facial images (Art. 5(1)(e)).",
                "count",
            ),
        ),
        otherwise=met(
            gettext_lazy(
                "No AI use infers emotions of cast or crew at work, infers sensitive traits or scrapes facial images."
            )
        ),
    )


@rule(
    "high-risk-casting",
    gettext_lazy("AI that screens casting or hiring is flagged as high-risk"),
    basis=law.AI_ACT_HIGH_RISK_EMPLOYMENT,
    applies_from=law.HIGH_RISK_ANNEX_III,
    penalty=law.PENALTY_OPERATOR_DUTIES,
)
def high_risk_casting(r):
    return outcome(
        problem(
            ATTENTION,
            [use for use in r.uses if use.screens_casting_or_hiring],
            ngettext_lazy(
                "%(count)d AI use screens or ranks people for casting or hiring: a high-risk use that needs human"
                " oversight and informing the people concerned.",
                "%(count)d AI uses screen or rank people for casting or hiring: high-risk uses that need human"
                " oversight and informing the people concerned.",
                "count",
            ),
        ),
        otherwise=met(gettext_lazy("No AI use screens or ranks people for casting or hiring.")),
    )


@rule(
    "deep-fake-determination",
    gettext_lazy("Deep-fake determination made for every image, video or audio output in the final work"),
    basis=law.AI_ACT_DEEP_FAKE_DEFINITION,
    applies_from=law.TRANSPARENCY_OBLIGATIONS,
)
def deep_fake_determination(r):
    audiovisual = [use for use in r.final_uses if use.output_type in AUDIOVISUAL_OUTPUT_TYPES]
    return outcome(
        problem(
            NOT_MET,
            [use for use in audiovisual if use.deep_fake == DeepFake.NOT_DETERMINED],
            ngettext_lazy(
                "%(count)d image, video or audio output in the final work has no deep-fake determination.",
                "%(count)d image, video or audio outputs in the final work have no deep-fake determination.",
                "count",
            ),
        ),
        otherwise=met(
            gettext_lazy("Every image, video and audio output in the final work (%(count)d) has a determination."),
            count=len(audiovisual),
        )
        if audiovisual
        else met(gettext_lazy("The final work has no AI image, video or audio output.")),
    )


@rule(
    "deep-fake-disclosure",
    gettext_lazy("Every deep fake in the final work is disclosed to the audience"),
    basis=law.AI_ACT_DEEP_FAKE_DISCLOSURE,
    applies_from=law.TRANSPARENCY_OBLIGATIONS,
    penalty=law.PENALTY_OPERATOR_DUTIES,
)
def deep_fake_disclosure(r):
    deep_fakes = [use for use in r.final_uses if use.deep_fake == DeepFake.YES]
    finding = outcome(
        problem(
            NOT_MET,
            [use for use in deep_fakes if use.disclosure_method == DisclosureMethod.NONE],
            ngettext_lazy(
                "%(count)d deep fake in the final work has no audience disclosure.",
                "%(count)d deep fakes in the final work have no audience disclosure.",
                "count",
            ),
        ),
        # Art. 50(5): the audience is told at the latest at its first exposure, which marketing alone is not.
        problem(
            ATTENTION,
            [use for use in deep_fakes if use.disclosure_method == DisclosureMethod.MARKETING_NOTICE],
            ngettext_lazy(
                "%(count)d deep fake is disclosed only in marketing, not in the work at first exposure.",
                "%(count)d deep fakes are disclosed only in marketing, not in the work at first exposure.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The deep fake in the final work is disclosed.",
                "Each of the %(count)d deep fakes in the final work is disclosed.",
                "count",
            ),
            deep_fakes,
        )
        if deep_fakes
        else met(gettext_lazy("No deep fakes in the final work.")),
    )
    if deep_fakes and r.production.evidently_artistic:
        return finding.adding(
            _(
                "As an evidently artistic, creative, satirical or fictional work, it may disclose that such content"
                " exists in a way that does not hamper enjoyment of the work."
            )
        )
    return finding


@rule(
    "public-interest-text",
    gettext_lazy("AI text published to inform the public is disclosed or under human editorial responsibility"),
    basis=law.AI_ACT_PUBLIC_INTEREST_TEXT,
    applies_from=law.TRANSPARENCY_OBLIGATIONS,
    penalty=law.PENALTY_OPERATOR_DUTIES,
)
def public_interest_text(r):
    texts = [use for use in r.uses if use.public_interest_text]
    return outcome(
        problem(
            NOT_MET,
            [
                use
                for use in texts
                if not use.human_editorial_responsibility and use.disclosure_method == DisclosureMethod.NONE
            ],
            ngettext_lazy(
                "%(count)d AI text published on a matter of public interest is neither disclosed nor under human"
                " editorial responsibility.",
                "%(count)d AI texts published on matters of public interest are neither disclosed nor under human"
                " editorial responsibility.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The AI text published on a matter of public interest is disclosed or under human editorial"
                " responsibility.",
                "Each of the %(count)d AI texts published on matters of public interest is disclosed or under"
                " human editorial responsibility.",
                "count",
            ),
            texts,
        )
        if texts
        else met(gettext_lazy("No AI text is published to inform the public on matters of public interest.")),
    )


@rule(
    "emotion-biometric-information",
    gettext_lazy("People exposed to emotion recognition or biometric categorisation are informed"),
    basis=law.AI_ACT_EMOTION_BIOMETRIC_INFORMATION,
    applies_from=law.TRANSPARENCY_OBLIGATIONS,
    penalty=law.PENALTY_OPERATOR_DUTIES,
)
def emotion_biometric_information(r):
    # Emotion recognition of cast or crew at work is prohibited outright: see prohibited-practices.
    exposing = [
        use
        for use in r.uses
        if use.emotion_recognition in (EmotionRecognition.AUDIENCE, EmotionRecognition.OTHER)
        or use.biometric_categorisation
    ]
    return outcome(
        problem(
            NOT_MET,
            [use for use in exposing if not use.people_informed],
            ngettext_lazy(
                "%(count)d AI use recognises emotions or categorises people without informing them.",
                "%(count)d AI uses recognise emotions or categorise people without informing them.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The people exposed to emotion recognition or biometric categorisation were informed.",
                "The people exposed were informed in each of the %(count)d uses of emotion recognition or"
                " biometric categorisation.",
                "count",
            ),
            exposing,
        )
        if exposing
        else met(gettext_lazy("No AI use recognises emotions or categorises people biometrically.")),
    )


# Art. 50(2) exempts assistive functions for standard editing: enhanced, edited or composited captures.
MARKED_SOURCE_TYPES = AI_GENERATED_SOURCE_TYPES | {DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA}


@rule(
    "output-marking",
    gettext_lazy("AI outputs in the final work are machine-readably marked, and the marking survives into the master"),
    basis=law.AI_ACT_OUTPUT_MARKING,
    applies_from=law.TRANSPARENCY_OBLIGATIONS,
    penalty=law.PENALTY_OPERATOR_DUTIES,
)
def output_marking(r):
    generated = [
        use
        for use in r.final_uses
        if use.tool and use.output_type != OutputType.ANALYSIS and use.digital_source_type in MARKED_SOURCE_TYPES
    ]
    unmarked = [
        use
        for use in generated
        if use.tool.output_marking == OutputMarking.NONE or use.marking_kept_in_master == TriState.NO
    ]
    unmarked_ids = {use.id for use in unmarked}
    unknown = [
        use
        for use in generated
        if use.id not in unmarked_ids
        and (use.tool.output_marking == OutputMarking.UNKNOWN or use.marking_kept_in_master == TriState.UNKNOWN)
    ]

    def in_grace(tool):
        on_market = tool.on_market_since
        return (
            r.on < law.MARKING_GRACE_FOR_SYSTEMS_ON_MARKET
            and bool(on_market)
            and on_market < law.TRANSPARENCY_OBLIGATIONS
        )

    in_grace_period = [use for use in unmarked if in_grace(use.tool)]
    lapsed = [use for use in unmarked if not in_grace(use.tool)]
    return outcome(
        problem(
            NOT_MET,
            lapsed,
            ngettext_lazy(
                "%(count)d AI output in the final work is not machine-readably marked, or loses its marking"
                " before the master.",
                "%(count)d AI outputs in the final work are not machine-readably marked, or lose their marking"
                " before the master.",
                "count",
            ),
            also=[use.tool for use in lapsed],
        ),
        problem(
            ATTENTION,
            in_grace_period,
            ngettext_lazy(
                "%(count)d AI output in the final work is not marked, but its tool was on the market before"
                " %(start)s and has until %(grace)s.",
                "%(count)d AI outputs in the final work are not marked, but their tools were on the market before"
                " %(start)s and have until %(grace)s.",
                "count",
            ),
            also=[use.tool for use in in_grace_period],
            start=long_date(law.TRANSPARENCY_OBLIGATIONS),
            grace=long_date(law.MARKING_GRACE_FOR_SYSTEMS_ON_MARKET),
        ),
        problem(
            ATTENTION,
            unknown,
            ngettext_lazy(
                "For %(count)d AI output in the final work, it is unknown whether it is marked and keeps the"
                " marking in the master.",
                "For %(count)d AI outputs in the final work, it is unknown whether they are marked and keep the"
                " marking in the master.",
                "count",
            ),
            also=[use.tool for use in unknown],
        ),
        otherwise=met(
            ngettext_lazy(
                "The AI output in the final work is marked and keeps the marking in the master.",
                "Each of the %(count)d AI outputs in the final work is marked and keeps the marking in the master.",
                "count",
            ),
            generated,
        )
        if generated
        else met(gettext_lazy("The final work has no AI-generated output that needs marking.")),
    )


@rule(
    "gpai-provider-documents",
    gettext_lazy("Provider documents on file for tools built on general-purpose AI models"),
    basis=law.AI_ACT_GPAI_PROVIDER_DOCUMENTS,
    applies_from=law.GPAI_OBLIGATIONS,
)
def gpai_provider_documents(r):
    general_purpose = [tool for tool in r.tools if tool.general_purpose_model]
    return outcome(
        problem(
            ATTENTION,
            [tool for tool in general_purpose if not (tool.training_content_summary_url and tool.copyright_policy_url)],
            ngettext_lazy(
                "%(count)d tool built on a general-purpose AI model lacks the provider's training-content summary"
                " or copyright policy.",
                "%(count)d tools built on general-purpose AI models lack the provider's training-content summary"
                " or copyright policy.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The training-content summary and copyright policy are on file for the tool built on a"
                " general-purpose AI model.",
                "The training-content summary and copyright policy are on file for each of the %(count)d tools"
                " built on general-purpose AI models.",
                "count",
            ),
            general_purpose,
        )
        if general_purpose
        else met(gettext_lazy("No tool built on a general-purpose AI model is used.")),
    )


def _explicit_consent_on_file(use, person, on):
    return any(
        consent.person_id == person.id
        and consent.gdpr_explicit_consent
        and consent.dpia_reference
        and not (consent.revoked_on and consent.revoked_on <= on)
        for consent in use.consents.all()
    )


@rule(
    "biometric-consent-dpia",
    gettext_lazy("Biometric face or voice data rests on explicit consent and a DPIA"),
    basis=law.GDPR_BIOMETRIC_CONSENT,
    applies_from=law.GDPR_APPLIES,
)
def biometric_consent_dpia(r):
    biometric = [use for use in r.uses if use.biometric_data]
    # The GDPR protects living persons only (Recital 27): the dead are covered by performer-consent.
    deceased = {person for use in biometric for person in use.people.all() if person.id in r.deceased_ids}
    lacking = {
        (use, person)
        for use in biometric
        for person in use.people.all()
        if person.id not in r.deceased_ids and not _explicit_consent_on_file(use, person, r.on)
    }
    finding = outcome(
        problem(
            NOT_MET,
            sorted({use for use, _person in lacking}, key=lambda use: use.id),
            ngettext_lazy(
                "%(count)d AI use processes a living person's biometric data without explicit consent and a DPIA"
                " reference on file.",
                "%(count)d AI uses process living people's biometric data without explicit consent and a DPIA"
                " reference on file.",
                "count",
            ),
            also=[person for _use, person in lacking],
        ),
        problem(
            ATTENTION,
            [use for use in biometric if not use.people.all()],
            ngettext_lazy(
                "%(count)d AI use processes biometric data but names nobody it depicts or voices.",
                "%(count)d AI uses process biometric data but name nobody they depict or voice.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "The AI use that processes biometric data rests on explicit consent and a DPIA.",
                "Each of the %(count)d AI uses that process biometric data rests on explicit consent and a DPIA.",
                "count",
            ),
            biometric,
        )
        if biometric
        else met(gettext_lazy("No AI use processes biometric face or voice data.")),
    )
    if deceased:
        return finding.adding(
            _("The data of deceased persons (%(names)s) is outside the GDPR and counts as met here.")
            % {"names": ", ".join(sorted(person.name for person in deceased))}
        )
    return finding


@rule(
    "performer-consent",
    gettext_lazy("Every digital replica or alteration of a performer rests on a valid consent that covers it"),
    basis=law.PERFORMER_CONSENT,
    applies_from=law.SAG_AFTRA_2023,
)
def performer_consent(r):
    needing = [use for use in r.uses if use.required_consent_kind is not None]
    status = {use.id: consent_status(use, r.on) for use in needing}
    blocked = [use for use in needing if status[use.id] in BLOCKING_STATUSES]

    def relied_on(uses):
        return [record for use in uses for record in (*use.people.all(), *use.consents.all())]

    final_blocked = [use for use in blocked if use.is_final]
    temporary_blocked = [use for use in blocked if not use.is_final]
    pending = [use for use in needing if status[use.id] == ConsentStatus.PENDING_REVIEW]
    return outcome(
        problem(
            NOT_MET,
            final_blocked,
            ngettext_lazy(
                "%(count)d use in the final work lacks an approved, unexpired, unrevoked consent that covers it.",
                "%(count)d uses in the final work lack an approved, unexpired, unrevoked consent that covers them.",
                "count",
            ),
            also=relied_on(final_blocked),
        ),
        problem(
            ATTENTION,
            temporary_blocked,
            ngettext_lazy(
                "%(count)d temporary use lacks a valid consent that covers it.",
                "%(count)d temporary uses lack a valid consent that covers them.",
                "count",
            ),
            also=relied_on(temporary_blocked),
        ),
        problem(
            ATTENTION,
            pending,
            ngettext_lazy(
                "%(count)d use relies on a consent still awaiting review.",
                "%(count)d uses rely on consents still awaiting review.",
                "count",
            ),
            also=relied_on(pending),
        ),
        otherwise=met(
            ngettext_lazy(
                "The use that replicates or alters a performer rests on an approved consent that covers it.",
                "Each of the %(count)d uses that replicate or alter a performer rests on an approved consent that"
                " covers it.",
                "count",
            ),
            needing,
        )
        if needing
        else met(gettext_lazy("No AI use replicates or alters a performer beyond what was performed or recorded.")),
    )


@rule(
    "writers-informed",
    gettext_lazy("Writers are told when material handed to them was AI-generated"),
    basis=law.WRITERS_INFORMED,
    applies_from=law.WGA_2023_MBA,
)
def writers_informed(r):
    handed = [use for use in r.uses if use.handed_to_writers]
    return outcome(
        problem(
            NOT_MET,
            [use for use in handed if not use.writers_informed],
            ngettext_lazy(
                "Writers were not told that %(count)d piece of material handed to them was AI-generated.",
                "Writers were not told that %(count)d pieces of material handed to them were AI-generated.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "Writers were told that the material handed to them was AI-generated.",
                "Writers were told that each of the %(count)d materials handed to them was AI-generated.",
                "count",
            ),
            handed,
        )
        if handed
        else met(gettext_lazy("No AI-generated material was handed to writers.")),
    )


SYNTHETIC_PERFORMANCES = {
    PerformerUse.EMPLOYMENT_REPLICA,
    PerformerUse.INDEPENDENT_REPLICA,
    PerformerUse.BACKGROUND_REPLICA,
    PerformerUse.VOICE_CLONE,
}


@rule(
    "human-authorship",
    gettext_lazy("Screenplay written by humans; performances by humans with their consent"),
    basis=law.HUMAN_AUTHORSHIP,
    applies_from=law.ACADEMY_AI_RULE,
)
def human_authorship(r):
    return outcome(
        unless(
            r.production.screenplay_human_authored,
            ATTENTION,
            gettext_lazy("The screenplay is not entirely written by humans: the statement must name what was not."),
        ),
        unless(
            r.production.performances_by_humans,
            ATTENTION,
            gettext_lazy("Not every performance is by a human: the statement must name the exceptions."),
            records=[use for use in r.final_uses if use.performer_use in SYNTHETIC_PERFORMANCES],
        ),
        otherwise=met(gettext_lazy("The screenplay is written by humans and the performances are by humans.")),
    )


RULES = {item.id: item for item in ITEMS}


# Assessing a production


@dataclass
class ItemResult:
    rule: Rule
    status: ItemStatus
    explanation: str
    records: list
    attestation: ChecklistAttestation | None
    in_force: bool

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
        "legal_basis": str(item.rule.legal_basis),
        "applies_from": item.rule.applies_from.isoformat(),
        "in_force": item.in_force,
        "status": item.status.value,
        "explanation": item.explanation,
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
    finding = checklist_rule.evaluate(evidence)
    if evidence.on >= checklist_rule.applies_from:
        return finding
    not_yet = _("Not in force on the assessment date: applies from %(date)s.") % {
        "date": long_date(checklist_rule.applies_from)
    }
    if finding.status in (NOT_MET, ATTENTION):
        # Still say what it would find, so the production can prepare.
        once = _("Once it applies: %(explanation)s") % {"explanation": finding.explanation}
        return Finding(NOT_APPLICABLE, f"{not_yet} {once}", finding.records)
    return Finding(NOT_APPLICABLE, not_yet)


# What the rules and the record labels read of a use and of its tool: loading only these makes thousands
# of uses several times cheaper. A field left out here would cost one query per use that reads it.
_USE_FIELDS = (
    "id",
    "title",
    "department",
    "is_final",
    "tool",
    "output_type",
    "digital_source_type",
    "performer_use",
    "deep_fake",
    "disclosure_method",
    "biometric_data",
    "emotion_recognition",
    "biometric_categorisation",
    "sensitive_traits_inferred",
    "untargeted_face_scraping",
    "people_informed",
    "screens_casting_or_hiring",
    "public_interest_text",
    "human_editorial_responsibility",
    "marking_kept_in_master",
    "handed_to_writers",
    "writers_informed",
)
_TOOL_FIELDS = (
    "vendor",
    "product",
    "model_name",
    "model_version",
    "general_purpose_model",
    "training_content_summary_url",
    "copyright_policy_url",
    "output_marking",
    "on_market_since",
)


def _reads_people(use):
    """Only the rules on biometric data and on performer consent read a use's people and consents."""
    return use.biometric_data or use.required_consent_kind is not None


def _consents():
    # A consent's label names its person: the name comes with the consent, not from loading people.
    return Consent.objects.only(
        "id", "person", "kind", "review_state", "expires_on", "revoked_on", "gdpr_explicit_consent", "dpia_reference"
    ).annotate(person_name=F("person__name"))


def load_evidence(production, on):
    """The production's records in four queries at most, whatever their number.

    People and consents are fetched only for the uses whose rules read them: a few hundred of thousands.
    """
    # The tools come in the uses' query (a join): prefetched, as the statement does, they would add a query.
    uses = list(
        AIUse.objects.filter(production=production)
        .select_related("tool")
        .only(*_USE_FIELDS, *(f"tool__{name}" for name in _TOOL_FIELDS))
        .order_by("id")
    )
    reading_people = [use for use in uses if _reads_people(use)]
    prefetch_related_objects(
        reading_people,
        Prefetch("people", queryset=Person.objects.only("id", "name", "deceased")),
        Prefetch("consents", queryset=_consents()),
    )
    return Evidence(
        production=production,
        on=on,
        uses=uses,
        measures=list(LiteracyMeasure.objects.filter(production=production).order_by("held_on", "id")),
        deceased_ids=frozenset(person.id for use in reading_people for person in use.people.all() if person.deceased),
    )


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
    for checklist_rule in ITEMS:
        finding = _evaluate(checklist_rule, evidence)
        items.append(
            ItemResult(
                rule=checklist_rule,
                status=finding.status,
                explanation=finding.explanation,
                records=_references(finding.records),
                attestation=attestations.get(checklist_rule.id),
                in_force=on >= checklist_rule.applies_from,
            )
        )
    summary = {status.value: sum(1 for item in items if item.status == status) for status in ItemStatus}
    return Checklist(production=production, assessed_on=on, items=items, summary=summary)
