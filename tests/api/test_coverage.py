"""Legal's coverage decisions through the API: which uses rely on a consent, whether it covers each of them, and a
use waiting as "scope to confirm" (blocked) until legal confirms."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from productions.models import AIUse, CoverageDecision
from productions.vocabularies import PerformerUse, ReviewState, Role
from tests.api.conftest import api, assert_error
from tests.factories import AIUseFactory, ConsentFactory, MembershipFactory, PersonFactory, confirm_coverage


@pytest.fixture
def darin(production):
    return PersonFactory(production=production, name="Ricardo Darín")


@pytest.fixture
def consent(darin):
    return ConsentFactory(person=darin, review_state=ReviewState.APPROVED, reviewed_at=timezone.now())


def relying_use(production, person, consent, title, **facts):
    return AIUseFactory(
        production=production,
        title=title,
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[person],
        consents=[consent],
        coverage=False,
        **facts,
    )


@pytest.fixture
def reel_3(production, darin, consent):
    return relying_use(production, darin, consent, "De-ageing, reel 3", shots="reel 3")


@pytest.fixture
def reel_5(production, darin, consent):
    return relying_use(production, darin, consent, "De-ageing, reel 5", shots="reel 5")


def coverage_url(production, consent):
    return api(f"productions/{production.pk}/consents/{consent.pk}/coverage/")


def use_url(production, use):
    return api(f"productions/{production.pk}/ai-uses/{use.pk}/")


def by_title(response):
    assert response.status_code == 200, response.content
    return {entry["title"]: entry for entry in response.json()}


def test_a_use_relying_on_a_valid_consent_waits_for_legal_and_blocks(as_viewer, production, consent, reel_3):
    body = as_viewer.get(use_url(production, reel_3)).json()

    assert (body["consent_status"], body["blocked"]) == ("scope_to_confirm", True)
    assert body["coverage"] == [
        {"consent": consent.pk, "coverage": "to_confirm", "decision": None, "note": "", "decided_at": None}
    ]
    uses = api(f"productions/{production.pk}/ai-uses/")
    assert [u["id"] for u in as_viewer.get(uses, {"consent_status": "scope_to_confirm"}).json()["results"]] == [
        reel_3.pk
    ]
    assert [u["id"] for u in as_viewer.get(uses, {"blocked": "true"}).json()["results"]] == [reel_3.pk]


def test_everyone_on_the_production_sees_the_uses_relying_on_a_consent(as_viewer, production, consent, reel_3, reel_5):
    entries = by_title(as_viewer.get(coverage_url(production, consent)))

    assert set(entries) == {"De-ageing, reel 3", "De-ageing, reel 5"}
    assert entries["De-ageing, reel 3"] == {
        "ai_use": reel_3.pk,
        "title": "De-ageing, reel 3",
        "external_id": "",
        "performer_use": "digital_alteration",
        "consent_status": "scope_to_confirm",
        "coverage": "to_confirm",
        "decision": None,
        "note": "",
        "decided_by": None,
        "decided_at": None,
    }


def test_legal_confirms_coverage_in_bulk_and_the_uses_are_covered(as_legal, as_viewer, production, consent, reel_3):
    other = relying_use(production, consent.person, consent, "De-ageing, reel 3 pickup", shots="reel 3")

    response = as_legal.post(
        coverage_url(production, consent), {"ai_uses": [reel_3.pk, other.pk], "decision": "covers"}
    )

    entries = by_title(response)
    for title in ("De-ageing, reel 3", "De-ageing, reel 3 pickup"):
        assert entries[title]["coverage"] == "covers" and entries[title]["consent_status"] == "covered"
        assert entries[title]["decided_by"] == "lea" and entries[title]["decided_at"]
    body = as_viewer.get(use_url(production, reel_3)).json()
    assert (body["consent_status"], body["blocked"]) == ("covered", False)
    assert body["coverage"][0]["coverage"] == "covers" and body["coverage"][0]["decision"] == "covers"
    assert CoverageDecision.objects.filter(consent=consent).count() == 2
    assert CoverageDecision.history.filter(decided_by__username="lea").count() == 2  # audited


def test_a_refusal_needs_its_note_and_puts_the_use_out_of_scope(as_legal, as_viewer, production, consent, reel_5):
    url = coverage_url(production, consent)

    assert_error(as_legal.post(url, {"ai_uses": [reel_5.pk], "decision": "does_not_cover"}), 400, fields=["note"])
    assert not CoverageDecision.objects.exists()
    refused = as_legal.post(
        url, {"ai_uses": [reel_5.pk], "decision": "does_not_cover", "note": "The consent is for reel 3 only."}
    )

    entry = by_title(refused)["De-ageing, reel 5"]
    assert (entry["coverage"], entry["note"], entry["consent_status"]) == (
        "does_not_cover",
        "The consent is for reel 3 only.",
        "out_of_scope",
    )
    assert as_viewer.get(use_url(production, reel_5)).json()["blocked"] is True


def test_a_decision_goes_stale_when_the_use_changes(as_producer, as_legal, as_viewer, production, consent, reel_3):
    as_legal.post(coverage_url(production, consent), {"ai_uses": [reel_3.pk], "decision": "covers"})

    as_producer.patch(use_url(production, reel_3), {"shots": "reel 3, reel 5", "version": 1})

    entry = by_title(as_viewer.get(coverage_url(production, consent)))["De-ageing, reel 3"]
    assert (entry["coverage"], entry["decision"], entry["consent_status"]) == ("stale", "covers", "scope_to_confirm")
    body = as_viewer.get(use_url(production, reel_3)).json()
    assert body["coverage"][0]["coverage"] == "stale" and body["blocked"] is True


def test_a_decision_goes_stale_when_the_consents_scope_changes(as_viewer, production, consent, reel_3):
    confirm_coverage(reel_3, consent)
    consent.scope_shots = "reel 5"
    consent.save()

    entry = by_title(as_viewer.get(coverage_url(production, consent)))["De-ageing, reel 3"]
    assert (entry["coverage"], entry["consent_status"]) == ("stale", "scope_to_confirm")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"decision": "covers"}, "ai_uses"),
        ({"ai_uses": [], "decision": "covers"}, "ai_uses"),
        ({"ai_uses": ["reel"], "decision": "covers"}, "ai_uses.0"),
        ({"ai_uses": "all", "decision": "covers"}, "ai_uses"),
        ({"ai_uses": [999999], "decision": "covers"}, "ai_uses"),
        ({"ai_uses": [2**70], "decision": "covers"}, "ai_uses.0"),
        ({"ai_uses": "REEL_3", "decision": "perhaps"}, "decision"),
        ({"ai_uses": "REEL_3"}, "decision"),
    ],
)
def test_decisions_are_refused_field_by_field(as_legal, production, consent, reel_3, data, field):
    data = {name: [reel_3.pk] if value == "REEL_3" else value for name, value in data.items()}

    assert_error(as_legal.post(coverage_url(production, consent), data), 400, fields=[field])
    assert not CoverageDecision.objects.exists()


def test_only_uses_relying_on_the_consent_are_decided(as_legal, producer, production, consent, reel_3):
    unrelated = AIUseFactory(production=production, title="Crowd")
    elsewhere = MembershipFactory(user=producer, role=Role.PRODUCER).production
    foreign = AIUseFactory(production=elsewhere)
    url = coverage_url(production, consent)

    body = assert_error(
        as_legal.post(url, {"ai_uses": [reel_3.pk, unrelated.pk], "decision": "covers"}), 400, fields=["ai_uses"]
    )
    assert "rely on this consent" in body["errors"]["ai_uses"][0]
    body = assert_error(as_legal.post(url, {"ai_uses": [foreign.pk], "decision": "covers"}), 400, fields=["ai_uses"])
    assert str(foreign.pk) in body["errors"]["ai_uses"][0]
    assert not CoverageDecision.objects.exists()


def test_a_revoked_consent_covers_nothing_more(as_legal, production, consent, reel_3):
    consent.revoked_on, consent.revocation_reason = consent.signed_on, "Withdrew."
    consent.save()

    assert_error(as_legal.post(coverage_url(production, consent), {"ai_uses": [reel_3.pk], "decision": "covers"}), 400)
    assert not CoverageDecision.objects.exists()


@pytest.mark.parametrize("client_name", ["as_producer", "as_viewer"])
def test_only_legal_decides_coverage(request, client_name, production, consent, reel_3):
    client = request.getfixturevalue(client_name)

    response = client.post(coverage_url(production, consent), {"ai_uses": [reel_3.pk], "decision": "covers"})

    assert_error(response, 403, "permission_denied")
    assert not CoverageDecision.objects.exists()


def test_another_productions_consent_has_no_coverage_here(as_legal, as_outsider, legal, production, consent, reel_3):
    elsewhere = MembershipFactory(user=legal, role=Role.LEGAL).production

    assert_error(as_legal.get(coverage_url(elsewhere, consent)), 404)
    assert_error(as_legal.post(coverage_url(elsewhere, consent), {"ai_uses": [reel_3.pk], "decision": "covers"}), 404)
    assert_error(as_outsider.get(coverage_url(production, consent)), 404)
    assert_error(
        as_outsider.post(coverage_url(production, consent), {"ai_uses": [reel_3.pk], "decision": "covers"}), 404
    )
    assert not CoverageDecision.objects.exists()


def test_the_schema_knows_scope_to_confirm_and_the_coverage_states(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]

    assert "scope_to_confirm" in components["ConsentStatusEnum"]["enum"]
    assert set(components["CoverageEnum"]["enum"]) == {"covers", "does_not_cover", "to_confirm", "stale"}
    path = schema["paths"]["/api/v1/productions/{production_id}/consents/{id}/coverage/"]
    assert set(path) == {"get", "post"}
    assert "page" not in {parameter["name"] for parameter in path["get"].get("parameters", [])}


def _uses(production, consent, count):
    for index in range(count):
        use = relying_use(production, consent.person, consent, f"Shot {index}")
        if index % 3 == 0:
            confirm_coverage(use, consent, by=MembershipFactory(production=production, role=Role.LEGAL).user)
        elif index % 3 == 1:
            confirm_coverage(use, consent)
            AIUse.objects.filter(pk=use.pk).update(description=f"changed {index}")  # a stale decision


def _coverage_queries(client, production, consent):
    client.get(api("tools/"))  # the token's first use of the minute is stamped once, not measured here
    with CaptureQueriesContext(connection) as queries:
        response = client.get(coverage_url(production, consent))
    assert response.status_code == 200
    return len(queries), len(response.json())


def test_the_coverage_list_costs_the_same_queries_for_3_or_30_uses(as_viewer, production, consent):
    _uses(production, consent, 3)
    with_3 = _coverage_queries(as_viewer, production, consent)
    _uses(production, consent, 27)
    with_30 = _coverage_queries(as_viewer, production, consent)

    assert (with_3[1], with_30[1]) == (3, 30)
    assert with_3[0] == with_30[0] <= 8, (with_3, with_30)


def test_deciding_costs_a_bounded_number_of_queries_per_use(as_legal, production, consent):
    def decide(count):
        _uses(production, consent, count)
        ids = list(AIUse.objects.filter(consents=consent).values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            response = as_legal.post(coverage_url(production, consent), {"ai_uses": ids, "decision": "covers"})
        assert response.status_code == 200, response.content
        assert all(entry["coverage"] == "covers" for entry in response.json())
        CoverageDecision.objects.all().delete()
        return len(queries), len(ids)

    few_queries, few = decide(3)
    many_queries, many = decide(27)
    # Each decision is one audited write (the row and its history); reading the list back costs the same.
    per_use = (many_queries - few_queries) / (many - few)
    assert per_use <= 2, (few_queries, many_queries)
