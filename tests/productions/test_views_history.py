"""History pages: who changed which field of a record, from what to what, newest first."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from productions import services
from productions.vocabularies import ConsentKind, PerformerUse, Phase, Role, Union
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    ConsentFactory,
    MembershipFactory,
    PersonFactory,
    ProductionFactory,
)
from tests.samples import PDF


def url(name, *args):
    return reverse(f"productions:{name}", args=args)


def entries(text):
    """The page's entries, newest first, each as its own piece of the page."""
    history = text.split('<ol class="history">', 1)[1].split("</ol>", 1)[0]
    return history.split('<li class="history-entry">')[1:]


@pytest.fixture
def performer(production, producer):
    return services.create_person(actor=producer, production=production, name="Ricardo Darín", role="Juan Salvo")


@pytest.fixture
def consent(performer, producer):
    return services.create_consent(
        actor=producer,
        person=performer,
        kind=ConsentKind.DIGITAL_ALTERATION,
        scope_description="De-ageing in reel 3.",
        separately_signed=True,
        signed_on=datetime.date(2026, 3, 1),
        territory="France",
    )


@pytest.fixture
def ai_use(production, producer, performer):
    return services.create_ai_use(
        actor=producer,
        production=production,
        phase=Phase.VFX,
        department="vfx",
        title="Young Juan Salvo",
        output_type="video",
        digital_source_type="compositeWithTrainedAlgorithmicMedia",
        tool=AIToolFactory(vendor="Lumen", product="Ager", model_name="", model_version=""),
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[performer],
    )


# Consents


def test_a_consents_history_says_who_changed_what_from_what_to_what(client, production, consent, producer, legal):
    services.attach_consent_document(actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("s.pdf", PDF))
    services.update_consent(
        actor=legal, consent=consent, **{"territory": "Europe", "expires_on": datetime.date(2030, 12, 31)}
    )
    services.submit_consent(actor=producer, consent=consent)
    services.approve_consent(actor=legal, consent=consent)
    client.force_login(producer)

    response = client.get(url("consent-history", production.pk, consent.pk))

    assert response.status_code == 200
    approval, submission, terms, attachment, creation = entries(response.content.decode())
    assert "lea" in approval
    assert "Approved" in approval
    assert '<span class="history-field">Review state</span>' in approval
    assert '<span class="history-old">Submitted for review</span>' in approval
    assert '<span class="history-new">Approved</span>' in approval
    assert '<span class="history-field">Reviewed by</span>' in approval
    assert '<span class="history-new">lea</span>' in approval
    assert "Deleted" not in approval
    assert "paula" in submission
    assert '<span class="history-old">Draft</span>' in submission
    assert "lea" in terms
    assert '<span class="history-field">Territory</span>' in terms
    assert '<span class="history-old">France</span>' in terms
    assert '<span class="history-new">Europe</span>' in terms
    assert '<span class="history-field">Term ends on</span>' in terms
    assert '<span class="history-old">—</span>' in terms
    assert '<span class="history-new">Dec. 31, 2030</span>' in terms
    assert "paula" in attachment
    assert "paula" in creation
    assert "Created" in creation
    assert "history-changes" not in creation


def test_an_attached_document_is_named_by_its_stored_file_never_by_the_upload(client, production, consent, producer):
    services.attach_consent_document(
        actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("Ricardo Darín.pdf", PDF)
    )
    client.force_login(producer)

    attachment = entries(client.get(url("consent-history", production.pk, consent.pk)).content.decode())[0]

    assert '<span class="history-reason">Signed document attached</span>' in attachment
    assert '<span class="history-field">Signed document</span>' in attachment
    assert f'<span class="history-new">{Path(consent.document.name).name}</span>' in attachment
    assert "Darín.pdf" not in attachment


def test_a_rejection_shows_its_reason(client, production, consent, producer, legal):
    services.submit_consent(actor=producer, consent=consent)
    services.reject_consent(actor=legal, consent=consent, reason="Name the scenes.")
    client.force_login(producer)

    rejection = entries(client.get(url("consent-history", production.pk, consent.pk)).content.decode())[0]

    assert '<span class="history-reason">Rejected</span>' in rejection
    assert '<span class="history-field">Review reason</span>' in rejection
    assert '<span class="history-new">Name the scenes.</span>' in rejection


# People


def test_a_persons_history_shows_choice_labels_not_codes(client, production, performer, producer, viewer):
    services.update_person(actor=producer, person=performer, union=Union.SAG_AFTRA, deceased=True)
    client.force_login(viewer)

    change = entries(client.get(url("person-history", production.pk, performer.pk)).content.decode())[0]

    assert '<span class="history-field">Union</span>' in change
    assert '<span class="history-old">None</span>' in change
    assert '<span class="history-new">SAG-AFTRA</span>' in change
    assert "sag_aftra" not in change
    assert '<span class="history-field">Deceased</span>' in change
    assert '<span class="history-old">No</span>' in change
    assert '<span class="history-new">Yes</span>' in change


# AI uses


def test_an_ai_uses_history_shows_people_and_consents_added_and_removed(
    client, production, ai_use, performer, consent, producer
):
    double = services.create_person(actor=producer, production=production, name="Stunt double")
    services.update_ai_use(actor=producer, ai_use=ai_use, people=[double], consents=[consent])
    services.update_ai_use(
        actor=producer, ai_use=ai_use, phase=Phase.POST_PICTURE, tool=AIToolFactory(vendor="Frame", product="Lift")
    )
    client.force_login(producer)

    response = client.get(url("ai-use-history", production.pk, ai_use.pk))

    assert response.status_code == 200
    retool, relink, creation = entries(response.content.decode())
    assert '<span class="history-field">Phase</span>' in retool
    assert '<span class="history-old">Visual effects</span>' in retool
    assert '<span class="history-new">Post-production (picture)</span>' in retool
    assert '<span class="history-field">Tool</span>' in retool
    assert '<span class="history-old">Lumen Ager</span>' in retool
    assert "Frame Lift" in retool
    assert '<span class="history-field">People depicted or voiced</span>' in relink
    assert '<span class="history-new">added Stunt double</span>' in relink
    assert '<span class="history-old">removed Ricardo Darín (Juan Salvo)</span>' in relink
    assert '<span class="history-field">Consents relied on</span>' in relink
    assert '<span class="history-new">added Ricardo Darín: Digital alteration</span>' in relink
    assert "Created" in creation


@pytest.mark.parametrize("changes", [3, 15])
def test_an_ai_uses_history_costs_the_same_queries_for_few_or_many_entries(
    client, production, ai_use, producer, changes, django_assert_max_num_queries
):
    people = [PersonFactory(production=production) for _ in range(4)]
    consents = [ConsentFactory(person=person) for person in people]
    for index in range(changes):
        services.update_ai_use(
            actor=producer,
            ai_use=ai_use,
            title=f"Take {index}",
            people=people[: index % 4 + 1],
            consents=consents[: index % 3],
        )
    client.force_login(producer)

    # With legal's coverage decisions (for the use's status) and the unread notifications in the header.
    with django_assert_max_num_queries(12):
        response = client.get(url("ai-use-history", production.pk, ai_use.pk))

    assert len(entries(response.content.decode())) == changes + 1


def test_a_long_history_is_paged_by_fifty(client, production, ai_use, producer):
    for index in range(55):
        services.update_ai_use(actor=producer, ai_use=ai_use, title=f"Take {index}")
    client.force_login(producer)

    first = client.get(url("ai-use-history", production.pk, ai_use.pk)).content.decode()
    second = client.get(url("ai-use-history", production.pk, ai_use.pk) + "?page=2").content.decode()

    assert len(entries(first)) == 50
    assert "Page 1 of 2" in first
    assert len(entries(second)) == 6
    # The last entry of the first page is still read against the entry before it, on page 2.
    assert '<span class="history-old">Take 4</span>' in entries(first)[-1]
    assert '<span class="history-old">Young Juan Salvo</span>' in entries(second)[-2]
    assert "Created" in entries(second)[-1]


# Who may read which history


HISTORIES = {
    "ai-use-history": lambda ai_use, consent: ai_use.pk,
    "consent-history": lambda ai_use, consent: consent.pk,
    "person-history": lambda ai_use, consent: consent.person_id,
}


@pytest.mark.parametrize("name", HISTORIES)
@pytest.mark.parametrize("role", ["producer", "legal", "viewer"])
def test_every_member_reads_the_history(request, client, production, ai_use, consent, name, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url(name, production.pk, HISTORIES[name](ai_use, consent))).status_code == 200


@pytest.mark.parametrize("name", HISTORIES)
def test_an_outsider_reads_no_history(client, production, ai_use, consent, outsider, name):
    client.force_login(outsider)

    assert client.get(url(name, production.pk, HISTORIES[name](ai_use, consent))).status_code == 404


@pytest.mark.parametrize("name", HISTORIES)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, production, ai_use, consent, name):
    response = client.get(url(name, production.pk, HISTORIES[name](ai_use, consent)))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", HISTORIES)
def test_a_record_of_another_production_has_no_history_here(client, production, producer, name):
    elsewhere = ProductionFactory(title="Elsewhere")
    MembershipFactory(production=elsewhere, user=producer, role=Role.PRODUCER)
    foreign_use = AIUseFactory(production=elsewhere)
    foreign_consent = ConsentFactory(person=PersonFactory(production=elsewhere))
    client.force_login(producer)

    response = client.get(url(name, production.pk, HISTORIES[name](foreign_use, foreign_consent)))

    assert response.status_code == 404


def test_an_import_reads_as_imported_from_its_file(client, producer, production):
    from simple_history.utils import bulk_create_with_history

    from productions.models import AIUse
    from tests.factories import AIToolFactory

    tool = AIToolFactory()
    bulk_create_with_history(
        [
            AIUse(
                production=production,
                phase="vfx",
                department="vfx",
                title="Imported shot",
                tool=tool,
                output_type="video",
                digital_source_type="trainedAlgorithmicMedia",
            )
        ],
        AIUse,
        default_user=producer,
        default_change_reason="imported from kitsu_shots.xlsx",
    )
    use = AIUse.objects.get(title="Imported shot")
    client.force_login(producer)

    page = client.get(reverse("productions:ai-use-history", args=[production.pk, use.pk])).content.decode()

    assert "Imported from kitsu_shots.xlsx" in page
