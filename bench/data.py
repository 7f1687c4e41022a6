"""Synthetic productions for the benchmarks: the test factories, a fixed seed, bulk inserts for the uses, and
copies of a production's rows under new ids where many productions are needed (`neighbours`). Every production
built here ends in `_finished`.

A production here looks like a feature's ledger: uses spread over the phases, most in VFX and post,
about one in ten replicating, altering or voicing a performer, linked to people whose consents are in
every state (approved, pending, rejected, expired, revoked, or for another kind of use), legal having decided
whether most of them cover the uses relying on them (the others are to confirm).
"""

import datetime
import random

import factory.random

from productions import kept_statuses
from productions.consent_status import consent_scope_fingerprint, use_facts_fingerprint
from productions.models import AIUse, Consent, CoverageDecision, Person
from productions.vocabularies import (
    REPLICA_CONSENT_KINDS,
    ConsentKind,
    CoverageDecisionKind,
    DeepFake,
    Department,
    Determination,
    DigitalSourceType,
    DisclosureMethod,
    OutputMarking,
    OutputType,
    PerformerUse,
    Phase,
    ReviewState,
    Role,
    ToolKind,
    TriState,
    Union,
)
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    ConsentFactory,
    LiteracyMeasureFactory,
    MembershipFactory,
    PersonFactory,
    ProductionFactory,
    UserFactory,
)

SEED = 20260802
BATCH = 1000

# (phase, department, weight): where AI turns up in a feature, roughly.
PHASES = [
    (Phase.DEVELOPMENT, Department.WRITING, 2),
    (Phase.PRE_PRODUCTION, Department.ART, 3),
    (Phase.SET_DESIGN, Department.ART, 2),
    (Phase.CASTING, Department.CASTING, 1),
    (Phase.ON_SET, Department.CAMERA, 2),
    (Phase.VFX, Department.VFX, 40),
    (Phase.POST_PICTURE, Department.COLOUR, 15),
    (Phase.SOUND_MUSIC, Department.SOUND, 10),
    (Phase.VOICE_DUBBING, Department.LOCALISATION, 8),
    (Phase.SUBTITLES_ACCESSIBILITY, Department.ACCESSIBILITY, 5),
    (Phase.RESTORATION, Department.ARCHIVE, 4),
    (Phase.MARKETING, Department.MARKETING, 8),
]
OUTPUTS = {
    Phase.DEVELOPMENT: OutputType.TEXT,
    Phase.SOUND_MUSIC: OutputType.AUDIO,
    Phase.VOICE_DUBBING: OutputType.AUDIO,
    Phase.SUBTITLES_ACCESSIBILITY: OutputType.TEXT,
    Phase.PRE_PRODUCTION: OutputType.IMAGE,
    Phase.SET_DESIGN: OutputType.IMAGE,
    Phase.CASTING: OutputType.ANALYSIS,
}
SOURCE_TYPES = [
    DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
    DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
    DigitalSourceType.ALGORITHMICALLY_ENHANCED,
    DigitalSourceType.COMPOSITE_SYNTHETIC,
    DigitalSourceType.HUMAN_EDITS,
]
TASKS = [
    "Sky replacement",
    "Crowd extension",
    "De-ageing of the lead",
    "Rotoscoping assist",
    "Wire and rig removal",
    "Face replacement of the stunt double",
    "Set extension",
    "Colour match across cameras",
    "Dialogue clean-up",
    "Temp score sketch",
    "Dubbed voice, French version",
    "Subtitle timing",
    "Film grain restoration",
    "Trailer cut-down",
    "Storyboard frames",
    "Mood board",
]
HOW = [
    "Generated plates composited under the supervision of the VFX supervisor.",
    "The model proposed mattes; artists corrected edges frame by frame.",
    "A trained model altered the performance as scripted; the director approved every shot.",
    "Synthetic background generated from licensed reference photography.",
    "Machine-assisted clean-up of location sound, checked by the dialogue editor.",
]
HUMANS = [
    "The compositor selected one of twelve variations and retouched it by hand.",
    "The supervisor reviewed each frame and rejected the outputs that did not match the plate.",
    "The director chose the take; the editor trimmed it; the colourist graded it like any other shot.",
    "The sound editor kept the original performance and used the tool only to remove noise.",
    "",
]
PERFORMER_USES = [
    PerformerUse.DIGITAL_ALTERATION,
    PerformerUse.EMPLOYMENT_REPLICA,
    PerformerUse.BACKGROUND_REPLICA,
    PerformerUse.VOICE_CLONE,
    PerformerUse.ALTERATION_EXEMPT,
]
REVIEW_STATES = [
    (ReviewState.APPROVED, 70),
    (ReviewState.SUBMITTED, 10),
    (ReviewState.DRAFT, 5),
    (ReviewState.REJECTED, 5),
    (ReviewState.CHANGES_REQUESTED, 10),
]

REVIEWED_AT = datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)

_tools = []
_productions = {}
_neighbours = []


def seed(value=SEED):
    """The same data on every run: Python's random and factory_boy's (and Faker's) generators."""
    random.seed(value)
    factory.random.reseed_random(value)


def _weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    return random.choices(values, weights=weights)[0]


def tool_catalogue():
    """Twelve tools shared by every production of the run, with every rights posture."""
    if not _tools:
        vendors = ["Runway", "Adobe", "ElevenLabs", "Wonder Dynamics", "Topaz", "OpenAI"]
        for index in range(12):
            _tools.append(
                AIToolFactory(
                    vendor=vendors[index % len(vendors)],
                    product=f"Studio {index}",
                    model_name=f"gen-{index}",
                    model_version=f"{1 + index % 3}.0",
                    kind=random.choice(ToolKind.values),
                    general_purpose_model=index % 3 == 0,
                    vendor_trains_on_inputs=random.choice(TriState.values),
                    honours_tdm_opt_out=random.choice(TriState.values),
                    output_marking=random.choice(OutputMarking.values),
                    training_content_summary_url=f"https://vendor{index}.example/summary" if index % 2 else "",
                    training_data_notes="Licensed stock and the vendor's own captures." if index % 4 == 0 else "",
                )
            )
    return _tools


def _people_and_consents(production, count):
    people = []
    for _ in range(count):
        person = PersonFactory(
            production=production,
            union=random.choice([Union.SAG_AFTRA, Union.EQUITY, Union.NONE]),
            deceased=random.random() < 0.02,
        )
        consents = []
        for kind in random.sample(ConsentKind.values, k=random.choice([1, 1, 2])):
            signed = datetime.date(2026, 1, 1) + datetime.timedelta(days=random.randrange(120))
            state = _weighted(REVIEW_STATES)
            decided = state not in (ReviewState.DRAFT, ReviewState.SUBMITTED)
            consents.append(
                ConsentFactory(
                    person=person,
                    kind=kind,
                    signed_on=signed,
                    review_state=state,
                    reviewed_at=REVIEWED_AT if decided else None,
                    review_reason="" if state == ReviewState.APPROVED or not decided else "Scope to be narrowed.",
                    expires_on=signed + datetime.timedelta(days=90) if random.random() < 0.05 else None,
                    revoked_on=signed + datetime.timedelta(days=30) if random.random() < 0.03 else None,
                    gdpr_explicit_consent=random.random() < 0.8,
                    dpia_reference="DPIA-2026-01" if random.random() < 0.8 else "",
                    # A replica is of the likeness, the voice or both.
                    covers_voice=kind in REPLICA_CONSENT_KINDS and random.random() < 0.5,
                )
            )
        people.append((person, consents))
    return people


def _use(production, index, final, tools):
    phase, department, _weight = random.choices(PHASES, weights=[w for *_pd, w in PHASES])[0]
    output_type = OUTPUTS.get(phase, OutputType.VIDEO)
    audiovisual = output_type in (OutputType.IMAGE, OutputType.VIDEO, OutputType.AUDIO)
    return AIUseFactory.build(
        production=production,
        phase=phase,
        department=department,
        title=f"{random.choice(TASKS)}, shot {index // 40:03d}_{index % 40 * 10:04d}",
        external_id=f"SQ{index // 40:03d}_SH{index % 40 * 10:04d}",
        description=random.choice(HOW) if random.random() < 0.8 else "",
        human_contribution=random.choice(HUMANS),
        tool=random.choice(tools) if random.random() > 0.02 else None,
        output_type=output_type,
        digital_source_type=random.choice(SOURCE_TYPES),
        is_final=final,
        performer_use=random.choice(PERFORMER_USES) if random.random() < 0.1 else PerformerUse.NONE,
        deep_fake=random.choice(DeepFake.values) if audiovisual else DeepFake.NO,
        disclosure_method=random.choice(DisclosureMethod.values),
        biometric_data=random.random() < 0.05,
        shots=f"{index // 40:03d}/{index % 40 * 10:04d}",
    )


def make_use(production, index, final=True):
    """An unsaved use of `production`, the `index`-th of a synthetic ledger."""
    return _use(production, index, final, tool_catalogue())


def _production(title):
    """A new production as every synthetic one is set up, with its producer; returns (production, producer)."""
    production = ProductionFactory(
        title=title,
        performances_by_humans=Determination.NO,
        screenplay_credit="Written by Ana Ruiz and Tom Weller",
        screenplay_human_authored=Determination.YES,
        # Was the boolean's default (true): kept, so that the benchmarks time the same work as before.
        evidently_artistic=Determination.YES,
        signatory="Ana Ruiz, producer",
        eu_release_date=datetime.date(2026, 9, 1),
    )
    producer = MembershipFactory(
        production=production, user=UserFactory(username=f"producer{production.pk}"), role=Role.PRODUCER
    ).user
    LiteracyMeasureFactory(production=production, departments=[Department.VFX, Department.COLOUR, Department.SOUND])
    return production, producer


def make_production(*, final, temporary=0, title=None):
    """A production with `final` uses in the final work and `temporary` others; returns (production, producer)."""
    tools = tool_catalogue()
    production, producer = _production(title or f"Bench feature with {final} final uses")
    people = _people_and_consents(production, max(6, (final + temporary) // 40))

    flags = [True] * final + [False] * temporary
    random.shuffle(flags)
    uses = [_use(production, index, is_final, tools) for index, is_final in enumerate(flags)]
    for use in uses:
        use.derive_keys(production.id_pattern)
    AIUse.objects.bulk_create(uses, batch_size=BATCH)

    people_links, consent_links, decisions = [], [], []
    for use in uses:
        if use.performer_use == PerformerUse.NONE:
            continue
        for person, consents in random.sample(people, k=random.choice([0, 1, 1, 1, 2])):
            people_links.append(AIUse.people.through(aiuse_id=use.pk, person_id=person.pk))
            for consent in consents:
                if random.random() < 0.9:
                    consent_links.append(AIUse.consents.through(aiuse_id=use.pk, consent_id=consent.pk))
                    if random.random() < 0.9:
                        decisions.append(_decision(consent, use))
    AIUse.people.through.objects.bulk_create(people_links, batch_size=BATCH)
    AIUse.consents.through.objects.bulk_create(consent_links, batch_size=BATCH)
    CoverageDecision.objects.bulk_create(decisions, batch_size=BATCH)
    _finished(production)
    return production, producer


def copy_production(source, *, title):
    """A new production holding a copy of `source`'s people, consents, uses, their links and legal's decisions:
    the same values under new ids, bulk-inserted (about a quarter of the time generating them takes)."""
    production, producer = _production(title)

    def insert(model, rows, **changes):
        """Copies of `rows` with `changes` applied to each; returns {old id: new id}."""
        old_ids = [row.pk for row in rows]
        for row in rows:
            row.pk = None
            row._state.adding = True
            for name, change in changes.items():
                setattr(row, name, change(row))
        model.objects.bulk_create(rows, batch_size=BATCH)
        return {old: row.pk for old, row in zip(old_ids, rows, strict=True)}

    people = insert(Person, list(Person.objects.filter(production=source)), production=lambda _row: production)
    consents = insert(
        Consent,
        list(Consent.objects.filter(person__production=source)),
        person_id=lambda row: people[row.person_id],
    )
    uses = list(AIUse.objects.filter(production=source))
    for use in uses:
        use.production = production
        use.derive_keys(production.id_pattern)
    uses = insert(AIUse, uses)
    insert(
        AIUse.people.through,
        list(AIUse.people.through.objects.filter(aiuse__production=source)),
        aiuse_id=lambda row: uses[row.aiuse_id],
        person_id=lambda row: people[row.person_id],
    )
    insert(
        AIUse.consents.through,
        list(AIUse.consents.through.objects.filter(aiuse__production=source)),
        aiuse_id=lambda row: uses[row.aiuse_id],
        consent_id=lambda row: consents[row.consent_id],
    )
    insert(
        CoverageDecision,
        list(CoverageDecision.objects.filter(ai_use__production=source)),
        ai_use_id=lambda row: uses[row.ai_use_id],
        consent_id=lambda row: consents[row.consent_id],
    )
    _finished(production)
    return production, producer


def _finished(production):
    """THE place where a synthetic production is complete: every path that builds one ends here.

    Its uses, links and decisions were bulk-inserted, past the services that keep the app's derived data up to
    date on each write: data the app maintains from the records is refreshed here, through the app's own public
    refresh function.
    """
    kept_statuses.ensure([production.pk])


def _decision(consent, use):
    """Legal's decision that a consent covers a use relying on it (one in twenty: that it does not)."""
    covers = random.random() < 0.95
    return CoverageDecision(
        consent=consent,
        ai_use=use,
        decision=CoverageDecisionKind.COVERS if covers else CoverageDecisionKind.DOES_NOT_COVER,
        note="" if covers else "The consent names other scenes.",
        consent_scope=consent_scope_fingerprint(consent),
        use_facts=use_facts_fingerprint(use),
        decided_at=REVIEWED_AT,
    )


def neighbours(count, uses):
    """`count` productions of `uses` uses each, beside the measured ones, so that every table also holds other
    productions' rows (the issue's set-up: 50 of 1,000). The first is generated, the others are its copies.
    Built once per run; returns [(production, producer)]."""
    if not _neighbours:
        final = uses * 7 // 10
        _neighbours.append(make_production(final=final, temporary=uses - final, title="Bench neighbour 1"))
        source = _neighbours[0][0]
        _neighbours.extend(copy_production(source, title=f"Bench neighbour {n}") for n in range(2, count + 1))
    return _neighbours


def shared_production(uses):
    """A production of `uses` uses, 70% of them final, shared by the benchmarks that only read it."""
    if uses not in _productions:
        final = uses * 7 // 10
        _productions[uses] = make_production(final=final, temporary=uses - final, title=f"Bench ledger of {uses} uses")
    return _productions[uses]
