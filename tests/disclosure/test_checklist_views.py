"""The checklist page: every member reads it, only legal attests, the computed status always shows."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure import views_checklist
from disclosure.checklist import assess
from disclosure.models import ChecklistAttestation, ItemStatus
from productions.models import AIUse, Production
from productions.vocabularies import DeepFake, DigitalSourceType, OutputType, Phase
from tests.factories import AIToolFactory, AIUseFactory, LiteracyMeasureFactory


@pytest.fixture
def deep_fake(production):
    return AIUseFactory(production=production, title="Building collapse", deep_fake=DeepFake.YES)


def page_url(production, **query):
    url = reverse("disclosure:checklist", args=[production.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def attest_url(production, item_id="deep-fake-disclosure"):
    return reverse("disclosure:checklist-attest", args=[production.pk, item_id])


def withdraw_url(production, item_id="deep-fake-disclosure"):
    return reverse("disclosure:checklist-withdraw", args=[production.pk, item_id])


def attestation_post(item_id="deep-fake-disclosure", status="met", comment="Card added to the print.", on=""):
    return {f"{item_id}-status": status, f"{item_id}-comment": comment, "on": on}


@pytest.mark.parametrize("role", ["producer", "legal", "viewer"])
def test_every_member_reads_the_checklist(request, client, production, deep_fake, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(page_url(production, on="2026-09-01"))

    assert response.status_code == 200
    text = response.content.decode()
    assert "El Eternauta" in text
    assert "an aid to compliance, not legal advice" in text
    assert "Every deep fake is disclosed to the audience at the latest at its first exposure" in text
    assert "AI Act Art. 50(4), (5), Recital 134" in text
    assert 'class="status status-not_met"' in text
    assert "1 deep fake has no audience disclosure." in text
    assert "Building collapse" in text


def test_an_outsider_is_told_there_is_no_such_production(client, production, outsider):
    client.force_login(outsider)

    assert client.get(page_url(production)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, production):
    response = client.get(page_url(production))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_only_legal_sees_the_attestation_forms(client, production, producer, legal):
    client.force_login(producer)
    assert attest_url(production).encode() not in client.get(page_url(production)).content

    client.force_login(legal)
    assert attest_url(production).encode() in client.get(page_url(production)).content


def test_the_assessment_date_defaults_to_the_eu_release(client, production, viewer):
    Production.objects.filter(pk=production.pk).update(eu_release_date=datetime.date(2026, 9, 18))
    client.force_login(viewer)

    response = client.get(page_url(production))

    assert response.context["checklist"].assessed_on == datetime.date(2026, 9, 18)
    assert 'value="2026-09-18"' in response.content.decode()


def test_an_earlier_date_shows_from_when_obligations_apply(client, production, deep_fake, viewer):
    client.force_login(viewer)

    text = client.get(page_url(production, on="2026-08-01")).content.decode()

    assert "applies from 2 August 2026" in text
    assert "Not yet in force on 1 August 2026" in text


def test_an_invalid_date_is_an_error_on_the_form_and_the_default_date_is_used(client, production, viewer):
    Production.objects.filter(pk=production.pk).update(eu_release_date=datetime.date(2026, 9, 18))
    client.force_login(viewer)

    response = client.get(page_url(production, on="2026-13-45"))

    assert response.status_code == 200
    assert "Enter the date as YYYY-MM-DD" in response.content.decode()
    assert response.context["checklist"].assessed_on == datetime.date(2026, 9, 18)


def test_legal_attests_and_both_statuses_show(client, production, deep_fake, legal):
    client.force_login(legal)

    response = client.post(attest_url(production), attestation_post(on="2026-09-01"))

    assert response.status_code == 302
    assert response.url == page_url(production, on="2026-09-01") + "#item-deep-fake-disclosure"
    attestation = ChecklistAttestation.objects.get(production=production, item_id="deep-fake-disclosure")
    assert (attestation.status, attestation.comment, attestation.attested_by) == (
        ItemStatus.MET,
        "Card added to the print.",
        legal,
    )
    text = client.get(response.url).content.decode()
    assert "Attestation saved" in text
    assert "Card added to the print." in text
    assert 'class="status status-not_met"' in text
    assert "differs from the computed status" in text


@pytest.mark.parametrize(("role", "status_code"), [("producer", 403), ("viewer", 403), ("outsider", 404)])
def test_other_users_may_not_attest(request, client, production, deep_fake, role, status_code):
    client.force_login(request.getfixturevalue(role))

    response = client.post(attest_url(production), attestation_post())

    assert response.status_code == status_code
    assert not ChecklistAttestation.objects.exists()


def test_an_anonymous_post_is_sent_to_sign_in(client, production):
    response = client.post(attest_url(production), attestation_post())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not ChecklistAttestation.objects.exists()


def test_an_unknown_item_does_not_exist(client, production, legal):
    client.force_login(legal)

    assert client.post(attest_url(production, "vibes"), attestation_post("vibes")).status_code == 404
    assert client.post(withdraw_url(production, "vibes")).status_code == 404


def test_reading_the_page_is_get_only_and_attesting_post_only(client, production, legal):
    client.force_login(legal)

    assert client.get(attest_url(production)).status_code == 405
    assert client.post(page_url(production)).status_code == 405


def test_an_attestation_without_comment_is_refused_on_the_page(client, production, legal):
    client.force_login(legal)

    response = client.post(attest_url(production), attestation_post(comment="   "))

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    item = next(item for item in response.context["checklist"].items if item.rule.id == "deep-fake-disclosure")
    assert item.attest_form.errors
    assert not ChecklistAttestation.objects.exists()


def test_the_attestation_needs_a_csrf_token(production, legal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(legal)

    response = client.post(attest_url(production), attestation_post())

    assert response.status_code == 403
    assert not ChecklistAttestation.objects.exists()


def test_legal_withdraws_an_attestation(client, production, legal, producer):
    client.force_login(legal)
    client.post(attest_url(production), attestation_post())

    client.force_login(producer)
    assert client.post(withdraw_url(production)).status_code == 403
    assert ChecklistAttestation.objects.exists()

    client.force_login(legal)
    response = client.post(withdraw_url(production), {"on": "2026-09-01"})
    assert response.status_code == 302
    assert not ChecklistAttestation.objects.exists()
    assert "Attestation withdrawn" in client.get(response.url).content.decode()


def test_records_link_to_their_pages_only_when_those_pages_exist(production, monkeypatch):
    use = AIUseFactory(production=production)
    record = {"type": "ai_use", "id": use.id, "label": use.title}

    monkeypatch.setattr(views_checklist, "RECORD_PAGES", {"ai_use": "productions:no-such-page"})
    assert views_checklist.record_url(production, record) is None
    assert views_checklist.record_url(production, {"type": "literacy_measure", "id": 1, "label": "x"}) is None

    monkeypatch.setattr(views_checklist, "RECORD_PAGES", {"ai_use": "disclosure:checklist", "tool": "x:y"})
    assert views_checklist.record_url(production, record) == reverse("disclosure:checklist", args=[use.id])
    assert views_checklist.record_url(production, {"type": "tool", "id": 3, "label": "t"}) is None


def test_the_page_costs_the_same_queries_for_few_and_many_uses(client, production, viewer):
    client.force_login(viewer)
    tool = AIToolFactory()
    LiteracyMeasureFactory(production=production)

    def add_uses(count):
        AIUse.objects.bulk_create(
            AIUse(
                production=production,
                phase=Phase.VFX,
                department="vfx",
                title=f"Shot {n}",
                tool=tool,
                output_type=OutputType.VIDEO,
                digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
                is_final=True,
            )
            for n in range(count)
        )

    def queries():
        cache.clear()  # the checklist built anew each time: bulk_create leaves no audit trail to change the revision
        with CaptureQueriesContext(connection) as context:
            assert client.get(page_url(production)).status_code == 200
        return len(context.captured_queries)

    add_uses(5)
    few = queries()
    add_uses(100)
    assert queries() == few


def test_the_document_renders_alone_for_the_pdf_without_page_chrome_or_forms(production, deep_fake, legal):
    ChecklistAttestation.objects.create(
        production=production,
        item_id="deep-fake-disclosure",
        status=ItemStatus.MET,
        comment="Card added to the print.",
        attested_by=legal,
        attested_at=datetime.datetime(2026, 9, 1, 10, 0, tzinfo=datetime.UTC),
    )

    html = render_to_string(
        "disclosure/checklist_document.html", {"checklist": assess(production, on=datetime.date(2026, 8, 1))}
    )

    assert "<html" not in html
    assert "<form" not in html
    assert "<a " not in html
    assert "not legal advice" in html
    assert "Not yet in force on 1 August 2026" in html
    assert "applies from 2 August 2026" in html
    assert "Card added to the print." in html
