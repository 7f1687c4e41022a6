"""From a consent's page: the AI uses relying on it, whether it covers each (legal confirms in bulk), and the
person's other uses it could cover (producers link them)."""

import datetime

import pytest
from django.urls import reverse

from productions.consent_status import ConsentStatus, consent_status
from productions.models import AIUse, CoverageDecision
from productions.vocabularies import ConsentKind, CoverageDecisionKind, OutputType, PerformerUse, ReviewState
from tests.factories import AIUseFactory, ConsentFactory, PersonFactory, ProductionFactory, confirm_coverage

ALTERATION = PerformerUse.DIGITAL_ALTERATION


def url(name, *args):
    return reverse(f"productions:{name}", args=args)


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín", role="Juan Salvo")


@pytest.fixture
def consent(performer):
    return ConsentFactory(
        person=performer,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        scope_shots="reel 3",
    )


def relying(production, performer, consent, title, **fields):
    fields.setdefault("performer_use", ALTERATION)
    return AIUseFactory(production=production, title=title, people=[performer], consents=[consent], **fields)


def page(client, production, consent):
    response = client.get(url("consent-detail", production.pk, consent.pk))
    assert response.status_code == 200
    return response.content.decode()


def decide(client, production, consent, uses, decision, note=""):
    return client.post(
        url("consent-coverage", production.pk, consent.pk),
        {"uses": [use.pk for use in uses], "decision": decision, "note": note},
    )


def status_of(use):
    return consent_status(AIUse.objects.get(pk=use.pk))


# What the page shows


def test_the_page_shows_what_the_consent_is_to_each_use_relying_on_it(client, production, performer, consent, viewer):
    relying(production, performer, consent, "De-aged in reel 3")
    relying(production, performer, consent, "New flashback", coverage=False)
    refused = relying(production, performer, consent, "Reel 5 face", coverage=CoverageDecisionKind.DOES_NOT_COVER)
    CoverageDecision.objects.filter(ai_use=refused).update(note="Reel 5 is outside the consent.")
    changed = relying(production, performer, consent, "Changed since")
    AIUse.objects.filter(pk=changed.pk).update(shots="reel 4")  # the use's facts moved on since the decision
    relying(production, performer, consent, "Voice line", performer_use=PerformerUse.VOICE_CLONE)
    client.force_login(viewer)

    text = page(client, production, consent)

    assert 'class="status status-covered">Covers this use' in text
    assert 'class="status status-scope_to_confirm">To confirm<' in text
    assert 'class="status status-out_of_scope">Does not cover this use' in text
    assert "Reel 5 is outside the consent." in text
    assert 'class="status status-scope_to_confirm">To confirm again' in text
    assert "The consent's scope or the use changed since legal decided “covers this use”" in text
    assert 'class="status status-out_of_scope">Another kind of use: does not cover it' in text
    assert "2 uses wait for legal to confirm this consent covers them." in text
    assert 'class="status status-scope_to_confirm">Scope to confirm' in text
    # A viewer reads, and decides nothing.
    assert url("consent-coverage", production.pk, consent.pk) not in text


def test_legal_gets_the_bulk_decision_form_and_producers_do_not(
    client, production, performer, consent, producer, legal
):
    to_confirm = relying(production, performer, consent, "New flashback", coverage=False)
    client.force_login(producer)
    producer_page = page(client, production, consent)
    client.force_login(legal)
    legal_page = page(client, production, consent)

    assert url("consent-coverage", production.pk, consent.pk) not in producer_page
    assert url("consent-coverage", production.pk, consent.pk) in legal_page
    assert (
        f'value="{to_confirm.pk}" form="coverage-form" id="coverage-use-{to_confirm.pk}" data-to-confirm' in legal_page
    )
    assert "Select all to confirm" in legal_page


# Confirming coverage in bulk


def test_legal_confirms_in_bulk_that_the_consent_covers_the_uses(client, production, performer, consent, legal):
    first = relying(production, performer, consent, "Flashback 1", coverage=False)
    second = relying(production, performer, consent, "Flashback 2", coverage=False)
    assert status_of(first) == ConsentStatus.SCOPE_TO_CONFIRM
    client.force_login(legal)

    response = decide(client, production, consent, [first, second], CoverageDecisionKind.COVERS)

    assert response.status_code == 302
    assert response.url == url("consent-detail", production.pk, consent.pk) + "#uses"
    assert status_of(first) == status_of(second) == ConsentStatus.COVERED
    decisions = CoverageDecision.objects.filter(consent=consent)
    assert {d.ai_use_id for d in decisions} == {first.pk, second.pk}
    assert {d.decided_by for d in decisions} == {legal}
    assert all(d.history.latest().history_user == legal for d in decisions)
    text = client.get(response.url).content.decode()
    assert "Coverage decided for 2 uses." in text
    assert text.count('class="status status-covered">Covers this use') == 2


def test_legal_says_why_a_consent_does_not_cover_a_use(client, production, performer, consent, legal):
    reel_5 = relying(production, performer, consent, "Reel 5 face", coverage=False)
    client.force_login(legal)

    refused = decide(client, production, consent, [reel_5], CoverageDecisionKind.DOES_NOT_COVER, note=" ")

    assert refused.status_code == 400
    assert "Say why the consent does not cover these uses, so the producer can act." in refused.content.decode()
    assert f'value="{reel_5.pk}" form="coverage-form" id="coverage-use-{reel_5.pk}" data-to-confirm checked' in (
        refused.content.decode()
    )
    assert not CoverageDecision.objects.exists()

    response = decide(
        client, production, consent, [reel_5], CoverageDecisionKind.DOES_NOT_COVER, note="Reel 5 is not reel 3."
    )

    assert response.status_code == 302
    assert status_of(reel_5) == ConsentStatus.OUT_OF_SCOPE
    assert "Reel 5 is not reel 3." in client.get(response.url).content.decode()


def test_a_decision_on_uses_that_do_not_rely_on_the_consent_is_refused(client, production, performer, consent, legal):
    mine = relying(production, performer, consent, "Relies on it", coverage=False)
    other = AIUseFactory(production=production, title="Does not", performer_use=ALTERATION, people=[performer])
    client.force_login(legal)

    response = decide(client, production, consent, [mine, other], CoverageDecisionKind.COVERS)

    assert response.status_code == 400
    assert "Decide only on uses that rely on this consent." in response.content.decode()
    assert not CoverageDecision.objects.exists()


def test_a_decision_needs_uses_and_a_choice(client, production, performer, consent, legal):
    relying(production, performer, consent, "Relies on it", coverage=False)
    client.force_login(legal)

    response = client.post(url("consent-coverage", production.pk, consent.pk), {})

    assert response.status_code == 400
    text = response.content.decode()
    assert "Tick the uses the decision is about." in text
    assert "This field is required." in text
    assert not CoverageDecision.objects.exists()


def test_a_use_of_another_production_cannot_be_decided_on(client, production, consent, legal):
    foreign = AIUseFactory(production=ProductionFactory(), performer_use=ALTERATION)
    client.force_login(legal)

    response = decide(client, production, consent, [foreign], CoverageDecisionKind.COVERS)

    assert response.status_code == 400
    assert "is not part of this production: nothing was decided." in response.content.decode()
    assert not CoverageDecision.objects.exists()


def test_a_revoked_consent_takes_no_coverage_decision(client, production, performer, consent, legal):
    use = relying(production, performer, consent, "Relies on it", coverage=False)
    consent.revoked_on, consent.revocation_reason = datetime.date(2026, 4, 1), "Changed her mind."
    consent.save()
    client.force_login(legal)

    assert url("consent-coverage", production.pk, consent.pk) not in page(client, production, consent)
    response = decide(client, production, consent, [use], CoverageDecisionKind.COVERS)

    assert response.status_code == 400
    assert "A revoked consent is kept as it was" in response.content.decode()
    assert not CoverageDecision.objects.exists()


@pytest.mark.parametrize("role", ["producer", "viewer"])
def test_only_legal_decides_coverage(request, client, production, performer, consent, role):
    use = relying(production, performer, consent, "Relies on it", coverage=False)
    client.force_login(request.getfixturevalue(role))

    response = decide(client, production, consent, [use], CoverageDecisionKind.COVERS)

    assert response.status_code == 403
    assert not CoverageDecision.objects.exists()


def test_an_outsider_finds_no_consent_to_decide_on(client, production, performer, consent, outsider):
    use = relying(production, performer, consent, "Relies on it", coverage=False)
    client.force_login(outsider)

    assert decide(client, production, consent, [use], CoverageDecisionKind.COVERS).status_code == 404
    assert not CoverageDecision.objects.exists()


# Linking the person's other uses


@pytest.fixture
def unlinked(production, performer):
    """A use depicting the performer, of the kind the consent is to, relying on no consent yet."""
    return AIUseFactory(production=production, title="Unlinked flashback", performer_use=ALTERATION, people=[performer])


def test_producers_link_the_persons_uses_that_could_rely_on_the_consent(
    client, production, performer, consent, unlinked, producer
):
    AIUseFactory(production=production, title="A voice", performer_use=PerformerUse.VOICE_CLONE, people=[performer])
    AIUseFactory(production=production, title="Somebody else", performer_use=ALTERATION, people=[PersonFactory()])
    client.force_login(producer)

    text = page(client, production, consent)

    assert "Other AI uses depicting Ricardo Darín that could rely on it" in text
    assert "Unlinked flashback" in text
    assert "A voice" not in text  # another kind of use
    assert "Somebody else" not in text

    response = client.post(url("consent-link-uses", production.pk, consent.pk), {"uses": [unlinked.pk]})

    assert response.status_code == 302
    assert list(unlinked.consents.all()) == [consent]
    assert unlinked.history.latest().history_user == producer
    assert status_of(unlinked) == ConsentStatus.SCOPE_TO_CONFIRM
    after = client.get(response.url).content.decode()
    assert "1 use now relies on this consent: legal confirms it covers it." in after
    assert "Other AI uses depicting" not in after


def test_legal_sees_the_uses_to_link_but_leaves_linking_to_producers(
    client, production, performer, consent, unlinked, legal
):
    client.force_login(legal)

    text = page(client, production, consent)
    response = client.post(url("consent-link-uses", production.pk, consent.pk), {"uses": [unlinked.pk]})

    assert "Unlinked flashback" in text
    assert "A producer links them, here or from the use's form" in text
    assert url("consent-link-uses", production.pk, consent.pk) not in text
    assert response.status_code == 403
    assert not unlinked.consents.exists()


def test_a_use_that_does_not_depict_the_person_is_not_linked(client, production, consent, producer):
    stranger = AIUseFactory(
        production=production, performer_use=ALTERATION, people=[PersonFactory(production=production)]
    )
    client.force_login(producer)

    response = client.post(url("consent-link-uses", production.pk, consent.pk), {"uses": [stranger.pk]})

    assert "does not depict this person: nothing was linked." in client.get(response.url).content.decode()
    assert not stranger.consents.exists()


def test_a_revoked_consent_is_linked_to_nothing(client, production, consent, unlinked, producer):
    consent.revoked_on, consent.revocation_reason = datetime.date(2026, 4, 1), "Changed her mind."
    consent.save()
    client.force_login(producer)

    assert "Unlinked flashback" not in page(client, production, consent)
    client.post(url("consent-link-uses", production.pk, consent.pk), {"uses": [unlinked.pk]})

    assert not unlinked.consents.exists()


# Bounded queries


@pytest.mark.parametrize("count", [3, 30])
def test_the_consent_page_costs_the_same_queries_for_few_or_many_uses(
    client, production, performer, consent, legal, count, django_assert_max_num_queries
):
    for number in range(count):
        use = relying(production, performer, consent, f"Use {number}", coverage=False)
        if number % 3 == 0:
            confirm_coverage(use, consent, by=legal)
        AIUseFactory(production=production, title=f"Unlinked {number}", performer_use=ALTERATION, people=[performer])
    AIUseFactory(
        production=production,
        performer_use=PerformerUse.EMPLOYMENT_REPLICA,
        output_type=OutputType.AUDIO,
        people=[performer],
        consents=[ConsentFactory(person=performer, kind=ConsentKind.EMPLOYMENT_REPLICA, covers_voice=True)],
    )
    client.force_login(legal)

    with django_assert_max_num_queries(15):
        response = client.get(url("consent-detail", production.pk, consent.pk))

    assert response.content.decode().count('form="coverage-form" id="coverage-use-') == count
