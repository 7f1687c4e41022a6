"""Factories for every record; deterministic under factory.random.reseed_random."""

import datetime

import factory
from django.contrib.auth import get_user_model

from productions.models import (
    AITool,
    AIUse,
    Consent,
    CoverageDecision,
    LiteracyMeasure,
    Membership,
    Organisation,
    OrganisationMembership,
    Person,
    Production,
)
from productions.vocabularies import (
    ConsentKind,
    CoverageDecisionKind,
    Department,
    DigitalSourceType,
    LiteracyMeasureKind,
    OrganisationRole,
    OutputType,
    Phase,
    ProductionKind,
    ReviewState,
    Role,
    ToolKind,
)
from tests.samples import PDF


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CuratorFactory(UserFactory):
    """A catalogue curator: given `productions.curate_catalogue` as the admin would, not staff."""

    @factory.post_generation
    def curates(obj, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Permission

            obj.user_permissions.add(Permission.objects.get(codename="curate_catalogue"))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Studio {n}")


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationRole.MEMBER


class ProductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Production

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Production {n}")
    kind = ProductionKind.FEATURE
    production_company = "Studio Lumière"
    countries = ["FR"]
    year = 2026
    cut = "picture lock v1"
    contact_point = "disclosure@example.org"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    production = factory.SubFactory(ProductionFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PRODUCER

    @factory.post_generation
    def joins_the_organisation(obj, create, extracted, **kwargs):
        """Production members belong to its organisation; producers own it, as migration 0006 made them."""
        if create:
            OrganisationMembership.objects.get_or_create(
                organisation_id=obj.production.organisation_id,
                user=obj.user,
                defaults={"role": OrganisationRole.OWNER if obj.role == Role.PRODUCER else OrganisationRole.MEMBER},
            )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    production = factory.SubFactory(ProductionFactory)
    name = factory.Sequence(lambda n: f"Performer {n}")
    role = "Lead"


class AIToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AITool

    vendor = "Vendor"
    product = factory.Sequence(lambda n: f"Generator {n}")
    model_name = "gen"
    model_version = "1.0"
    kind = ToolKind.IMAGE


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    kind = ConsentKind.DIGITAL_ALTERATION
    scope_description = "De-ageing of the lead in the flashback scenes of reel 3, feature release only."
    separately_signed = True
    signed_on = datetime.date(2026, 3, 1)
    review_state = ReviewState.DRAFT
    revoked_on = None
    # A withdrawal is recorded with its reason (the database refuses one without).
    revocation_reason = factory.LazyAttribute(
        lambda consent: "The performer withdrew in writing." if consent.revoked_on else ""
    )

    class Params:
        # Its signed document attached, as approving through the services requires.
        signed_document = factory.Trait(document=factory.django.FileField(filename="signed.pdf", data=PDF))


class AIUseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AIUse
        skip_postgeneration_save = True

    production = factory.SubFactory(ProductionFactory)
    phase = Phase.VFX
    department = Department.VFX
    title = factory.Sequence(lambda n: f"AI use {n}")
    tool = factory.SubFactory(AIToolFactory)
    output_type = OutputType.VIDEO
    digital_source_type = DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA
    is_final = True

    @factory.post_generation
    def people(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.people.set(extracted)

    @factory.post_generation
    def consents(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.consents.set(extracted)

    @factory.post_generation
    def coverage(obj, create, extracted, **kwargs):
        """Legal's coverage decision on every consent the use relies on: confirmed unless told otherwise
        (`coverage=False` leaves it to confirm; `coverage=CoverageDecisionKind.DOES_NOT_COVER` refuses it)."""
        if create and extracted is not False:
            consents = list(obj.consents.all())
            if consents:
                confirm_coverage(obj, *consents, decision=extracted or CoverageDecisionKind.COVERS)


def confirm_coverage(ai_use, *consents, decision=CoverageDecisionKind.COVERS, note="", by=None):
    """Record legal's decision that each consent covers (or not) the use, on their terms as they are now."""
    from django.utils import timezone

    from productions.consent_status import consent_scope_fingerprint, use_facts_fingerprint

    if decision == CoverageDecisionKind.DOES_NOT_COVER and not note:
        note = "Outside the described use."
    return [
        CoverageDecision.objects.update_or_create(
            consent=consent,
            ai_use=ai_use,
            defaults={
                "decision": decision,
                "note": note,
                "consent_scope": consent_scope_fingerprint(consent),
                "use_facts": use_facts_fingerprint(ai_use),
                "decided_by": by,
                "decided_at": timezone.now(),
            },
        )[0]
        for consent in consents
    ]


def many_uses(production, fields, *, actor, date=None):
    """Uses of `production`, one for each dict of `fields` (which names its `tool`, or None; AIUseFactory's defaults
    for the rest), written in batches with their audit trail (by `actor`), as AIUseFactory writes them one at a time."""
    from django.utils import timezone

    from productions.audit import bulk_create_audited

    uses = [AIUseFactory.build(production=production, **each) for each in fields]
    for use in uses:
        use.derive_keys()  # what save() does, which bulk_create does not call
    return bulk_create_audited(AIUse, uses, actor=actor, reason="created", date=date or timezone.now(), batch_size=500)


def uses_relying_on_consents(production, count, *, tool, actor, consent=None, title="Use {}"):
    """`count` uses of `production` by `tool`, each altering the likeness of a person of its own who consented, legal's
    coverage confirmed: what as many calls of PersonFactory, ConsentFactory, AIUseFactory(people=..., consents=...)
    write, audit trail included (by `actor`), in batches: a handful of queries for any count, where the factories
    make some twenty a use. `consent` sets the consents' fields; `title` is formatted with each use's number."""
    from django.utils import timezone

    from productions.audit import bulk_create_audited
    from productions.vocabularies import PerformerUse

    audit = {"actor": actor, "reason": "created", "date": timezone.now(), "batch_size": 500}
    people = bulk_create_audited(Person, PersonFactory.build_batch(count, production=production), **audit)
    consents = [ConsentFactory.build(person=person, **(consent or {})) for person in people]
    bulk_create_audited(Consent, consents, **audit)
    uses = many_uses(
        production,
        [
            {"tool": tool, "title": title.format(n), "performer_use": PerformerUse.DIGITAL_ALTERATION}
            for n in range(count)
        ],
        actor=actor,
        date=audit["date"],
    )
    for relation, targets in (("people", people), ("consents", consents)):
        through = getattr(AIUse, relation).through
        target = f"{AIUse._meta.get_field(relation).m2m_reverse_field_name()}_id"
        through.objects.bulk_create(
            [through(aiuse_id=use.pk, **{target: linked.pk}) for use, linked in zip(uses, targets, strict=True)]
        )
    decisions = [covering(linked, use, at=audit["date"]) for use, linked in zip(uses, consents, strict=True)]
    bulk_create_audited(CoverageDecision, decisions, **audit)
    return uses


def covering(consent, ai_use, *, at):
    """Legal's decision that `consent` covers `ai_use` on their terms as they are now, made `at`, not yet written."""
    from productions.consent_status import consent_scope_fingerprint, use_facts_fingerprint

    return CoverageDecision(
        consent=consent,
        ai_use=ai_use,
        decision=CoverageDecisionKind.COVERS,
        consent_scope=consent_scope_fingerprint(consent),
        use_facts=use_facts_fingerprint(ai_use),
        decided_at=at,
    )


class LiteracyMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiteracyMeasure

    production = factory.SubFactory(ProductionFactory)
    held_on = datetime.date(2026, 1, 15)
    kind = LiteracyMeasureKind.TRAINING
    description = "Half-day training on generative tools and the studio's AI policy."
    departments = [Department.VFX]
