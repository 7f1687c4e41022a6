"""AI uses through the API: the ledger's records with their computed consent status, filters, pages."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from productions.models import AIUse, Production
from productions.vocabularies import ConsentKind, DeepFake, PerformerUse, Phase, ReviewState, Role
from tests.api.conftest import api, assert_error, token_client
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    ConsentFactory,
    MembershipFactory,
    PersonFactory,
    ProductionFactory,
    uses_relying_on_consents,
)
from tests.module_data import kept_for_module

NEW_USE = {
    "phase": "vfx",
    "department": "vfx",
    "title": "Building collapse, Buenos Aires",
    "output_type": "video",
    "digital_source_type": "trainedAlgorithmicMedia",
    "is_final": True,
    "external_id": "001",
    "human_contribution": "VFX artists directed, selected and composited the generated frames.",
}


def uses_url(production, suffix=""):
    return api(f"productions/{production.pk}/ai-uses/{suffix}")


@pytest.fixture
def darin(production):
    return PersonFactory(production=production, name="Ricardo Darín")


@pytest.fixture
def approved_consent(darin):
    return ConsentFactory(person=darin, review_state=ReviewState.APPROVED, reviewed_at=timezone.now())


def test_an_ai_use_shows_its_tool_people_consents_and_consent_status(as_viewer, production, darin, approved_consent):
    use = AIUseFactory(
        production=production,
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[darin],
        consents=[approved_consent],
    )

    body = as_viewer.get(uses_url(production, f"{use.pk}/")).json()

    assert body["tool"] == use.tool_id
    assert body["people"] == [darin.pk]
    assert body["consents"] == [approved_consent.pk]
    assert body["consent_status"] == "covered" and body["blocked"] is False
    assert body["production"] == production.pk


def test_a_use_relying_on_a_revoked_consent_is_blocked(as_viewer, production, darin, approved_consent):
    approved_consent.revoked_on = datetime.date(2026, 4, 1)
    approved_consent.revocation_reason = "Withdrew by letter."
    approved_consent.save()
    use = AIUseFactory(
        production=production,
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[darin],
        consents=[approved_consent],
    )

    body = as_viewer.get(uses_url(production, f"{use.pk}/")).json()

    assert body["consent_status"] == "revoked" and body["blocked"] is True


def test_producers_record_a_use_with_its_people_and_consents(as_producer, production, darin, approved_consent):
    tool = AIToolFactory()

    response = as_producer.post(
        uses_url(production),
        {
            **NEW_USE,
            "tool": tool.pk,
            "performer_use": "digital_alteration",
            "people": [darin.pk],
            "consents": [approved_consent.pk],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    # Until legal confirms the consent covers this very use, the use waits, blocked.
    assert body["external_id"] == "001" and body["consent_status"] == "scope_to_confirm" and body["blocked"] is True
    assert body["coverage"] == [
        {"consent": approved_consent.pk, "coverage": "to_confirm", "decision": None, "note": "", "decided_at": None}
    ]
    use = AIUse.objects.get(pk=body["id"])
    assert list(use.people.all()) == [darin]
    assert use.history.count() == 1 and use.history.first().history_user.username == "paula"


def test_people_and_consents_must_belong_to_the_production(as_producer, producer, production, outsider):
    # A production the producer also works on: its people exist for them, but not in this production.
    elsewhere = MembershipFactory(user=producer).production
    stranger = PersonFactory(production=elsewhere)
    foreign_consent = ConsentFactory(person=stranger)
    hidden = PersonFactory(production=outsider.memberships.get().production)

    linked_elsewhere = as_producer.post(
        uses_url(production), {**NEW_USE, "people": [stranger.pk], "consents": [foreign_consent.pk]}
    )
    assert_error(linked_elsewhere, 400, fields=["people", "consents"])

    invisible = as_producer.post(uses_url(production), {**NEW_USE, "people": [hidden.pk]})
    body = assert_error(invisible, 400, fields=["people"])
    assert "does not exist" in body["errors"]["people"][0]
    assert not AIUse.objects.filter(production=production).exists()


def test_a_use_linked_to_thirty_people_costs_the_queries_of_one_linked_to_one(as_producer, production):
    cast = PersonFactory.create_batch(30, production=production)

    def queries_to_record(people, external_id):
        body = {**NEW_USE, "external_id": external_id, "people": [person.pk for person in people]}
        with CaptureQueriesContext(connection) as queries:
            response = as_producer.post(uses_url(production), body)
        assert response.status_code == 201, response.content
        assert sorted(response.json()["people"]) == sorted(person.pk for person in people)
        return len(queries)

    queries_to_record(cast[:2], "000")  # the first request of the test also records the token's use
    assert queries_to_record(cast[:1], "001") == queries_to_record(cast, "002")


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        # The first id that is not one, in the list's order, as DRF reads them one by one.
        (["darin", 999999, "abc"], 'Invalid pk "999999" - object does not exist.'),
        (["darin", "abc", 999999], "Incorrect type. Expected pk value, received str."),
        ([True], "Incorrect type. Expected pk value, received bool."),
        ([None], 'Invalid pk "None" - object does not exist.'),
        ([10**30], f'Invalid pk "{10**30}" - object does not exist.'),
        ([[1]], "Incorrect type. Expected pk value, received list."),
    ],
)
def test_a_list_of_ids_is_refused_at_its_first_wrong_id(as_producer, production, darin, ids, message):
    ids = [darin.pk if value == "darin" else value for value in ids]

    body = assert_error(as_producer.post(uses_url(production), {**NEW_USE, "people": ids}), 400, fields=["people"])

    assert body["errors"]["people"] == [message]
    assert not AIUse.objects.filter(production=production).exists()


def test_a_list_of_ids_keeps_its_order_and_repeats_as_given(as_producer, production, darin):
    other = PersonFactory(production=production, name="Aaron")

    response = as_producer.post(
        uses_url(production), {**NEW_USE, "people": [darin.pk, other.pk, darin.pk, str(other.pk)]}
    )

    assert response.status_code == 201, response.content
    assert set(response.json()["people"]) == {darin.pk, other.pk}


def test_uses_are_validated_as_in_the_ledger(as_producer, production):
    AIUseFactory(production=production, external_id="001", title="Crowd extension, night shoot")

    assert_error(as_producer.post(uses_url(production), {**NEW_USE, "title": ""}), 400, fields=["title"])
    assert_error(as_producer.post(uses_url(production), {**NEW_USE, "phase": "lunch"}), 400, fields=["phase"])
    assert_error(
        as_producer.post(uses_url(production), {**NEW_USE, "output_type": "text", "deep_fake": "yes"}),
        400,
        fields=["deep_fake"],
    )
    assert_error(
        as_producer.post(uses_url(production), {**NEW_USE, "timecode_in": "1:2:3"}), 400, fields=["timecode_in"]
    )
    # The tracker id is unique per production, however it is spelt: a 400 on the field, never a database error.
    for spelling in ("001", " 001 "):
        response = as_producer.post(uses_url(production), {**NEW_USE, "external_id": spelling})
        assert_error(response, 400, fields=["external_id"])
        assert set(response.json()["errors"]) == {"external_id"}, response.json()
        assert (
            "“Crowd extension, night shoot” already has this tracker id, as 001."
            in response.json()["errors"]["external_id"][0]
        )


def test_the_dates_publications_purpose_and_intimate_imagery_of_a_use_round_trip(as_producer, production):
    facts = {
        "used_from": "2026-08-24",
        "used_until": "2026-11-13",
        "published_in": ["trailer", "social"],
        "purpose": "safety",
        "intimate_imagery": True,
        "disclosure_method": "opening_card_audio",
    }

    response = as_producer.post(uses_url(production), {**NEW_USE, **facts})

    assert response.status_code == 201, response.content
    assert {name: response.json()[name] for name in facts} == facts
    use = AIUse.objects.get(pk=response.json()["id"])
    assert (use.used_from, use.used_until) == (datetime.date(2026, 8, 24), datetime.date(2026, 11, 13))
    assert use.published_in == ["trailer", "social"]
    # In the vocabulary's order whatever the order sent; an empty list clears it.
    one = uses_url(production, f"{use.pk}/")
    reordered = as_producer.patch(one, {"published_in": ["social", "poster"], "version": 1})
    assert reordered.json()["published_in"] == ["poster", "social"]
    cleared = as_producer.patch(one, {"published_in": [], "purpose": "", "version": 2})
    assert (cleared.json()["published_in"], cleared.json()["purpose"]) == ([], "")
    assert as_producer.get(uses_url(production, f"{use.pk}/")).json()["used_until"] == "2026-11-13"


def test_bad_dates_purposes_and_publications_are_refused_field_by_field(as_producer, production):
    use = AIUseFactory(production=production)
    url = uses_url(production, f"{use.pk}/")

    body = assert_error(
        as_producer.patch(url, {"used_from": "2026-11-13", "used_until": "2026-08-24", "version": 1}),
        400,
        fields=["used_until"],
    )
    assert body["errors"]["used_until"] == ["The last use comes after the first."]
    body = assert_error(
        as_producer.patch(url, {"purpose": "fun", "published_in": ["trailer", "billboard"], "version": 1}),
        400,
        fields=["purpose", "published_in"],
    )
    assert body["errors"]["published_in"] == ['"billboard" is not a valid choice.']
    assert_error(as_producer.patch(url, {"published_in": "trailer", "version": 1}), 400, fields=["published_in"])
    assert_error(
        as_producer.post(uses_url(production), {**NEW_USE, "used_from": "24/08/2026"}), 400, fields=["used_from"]
    )
    use.refresh_from_db()
    assert (use.used_from, use.used_until, use.purpose, use.published_in) == (None, None, "", [])


def test_producers_update_and_delete_uses(as_producer, production, darin):
    use = AIUseFactory(production=production, people=[darin])

    patched = as_producer.patch(uses_url(production, f"{use.pk}/"), {"deep_fake": "yes", "version": 1})
    assert patched.status_code == 200, patched.content
    assert patched.json()["deep_fake"] == "yes" and patched.json()["people"] == [darin.pk]  # links kept

    cleared = as_producer.patch(uses_url(production, f"{use.pk}/"), {"people": [], "version": 2})
    assert cleared.json()["people"] == []

    replaced = as_producer.put(uses_url(production, f"{use.pk}/"), {**NEW_USE, "version": 3})
    assert replaced.status_code == 200 and replaced.json()["title"] == NEW_USE["title"]

    assert as_producer.delete(uses_url(production, f"{use.pk}/")).status_code == 204
    assert not AIUse.objects.filter(pk=use.pk).exists()


@pytest.mark.parametrize("client_name", ["as_legal", "as_viewer"])
def test_legal_and_viewers_read_uses_but_do_not_edit_them(request, client_name, production):
    client = request.getfixturevalue(client_name)
    use = AIUseFactory(production=production)

    assert client.get(uses_url(production)).json()["count"] == 1
    assert_error(client.post(uses_url(production), NEW_USE), 403, "permission_denied")
    assert_error(client.patch(uses_url(production, f"{use.pk}/"), {"title": "x"}), 403)
    assert_error(client.put(uses_url(production, f"{use.pk}/"), NEW_USE), 403)
    assert_error(client.delete(uses_url(production, f"{use.pk}/")), 403)


def test_outsiders_and_anonymous_reach_no_use(as_outsider, anonymous, production):
    use = AIUseFactory(production=production)

    for method, suffix in (
        ("get", ""),
        ("get", f"{use.pk}/"),
        ("post", ""),
        ("patch", f"{use.pk}/"),
        ("delete", f"{use.pk}/"),
    ):
        assert_error(getattr(as_outsider, method)(uses_url(production, suffix), NEW_USE), 404)
        assert_error(getattr(anonymous, method)(uses_url(production, suffix), NEW_USE), 401)


def titles(response):
    assert response.status_code == 200, response.content
    return sorted(use["title"] for use in response.json()["results"])


def test_filters(as_viewer, production, darin, approved_consent):
    tool = AIToolFactory()
    AIUseFactory(production=production, title="collapse", phase=Phase.VFX, tool=tool, deep_fake=DeepFake.YES)
    AIUseFactory(production=production, title="storyboard", phase=Phase.PRE_PRODUCTION, is_final=False)
    AIUseFactory(
        production=production,
        title="de-ageing",
        phase=Phase.VFX,
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[darin],
        consents=[approved_consent],
    )
    AIUseFactory(
        production=production, title="voice", phase=Phase.VOICE_DUBBING, performer_use=PerformerUse.VOICE_CLONE
    )
    url = uses_url(production)

    assert titles(as_viewer.get(url, {"phase": "vfx"})) == ["collapse", "de-ageing"]
    assert titles(as_viewer.get(url, {"tool": tool.pk})) == ["collapse"]
    assert titles(as_viewer.get(url, {"is_final": "false"})) == ["storyboard"]
    assert titles(as_viewer.get(url, {"deep_fake": "yes"})) == ["collapse"]
    assert titles(as_viewer.get(url, {"consent_status": "covered"})) == ["de-ageing"]
    assert titles(as_viewer.get(url, {"consent_status": "missing"})) == ["voice"]
    assert titles(as_viewer.get(url, {"consent_status": "not_needed", "phase": "vfx"})) == ["collapse"]
    assert titles(as_viewer.get(url, {"blocked": "true"})) == ["voice"]
    assert len(titles(as_viewer.get(url, {"blocked": "false"}))) == 3


def test_updated_since_gives_what_changed(as_viewer, production):
    old = AIUseFactory(production=production, title="old")
    AIUseFactory(production=production, title="new")
    AIUse.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    assert titles(as_viewer.get(uses_url(production), {"updated_since": since})) == ["new"]


def test_a_wrong_filter_value_is_a_400(as_viewer, production):
    assert_error(as_viewer.get(uses_url(production), {"phase": "lunch"}), 400, fields=["phase"])
    assert_error(as_viewer.get(uses_url(production), {"tool": "999999"}), 400, fields=["tool"])
    assert_error(as_viewer.get(uses_url(production), {"updated_since": "yesterday"}), 400, fields=["updated_since"])


def test_pages_of_50_by_default_and_up_to_500(as_viewer, production):
    AIUseFactory.create_batch(3, production=production)
    url = uses_url(production)

    page = as_viewer.get(url, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and "page=2" in page["next"]
    assert len(as_viewer.get(page["next"]).json()["results"]) == 1
    assert_error(as_viewer.get(url, {"page": 9}), 404)

    from productions.api.pagination import PageNumberPagination

    assert (PageNumberPagination.page_size, PageNumberPagination.max_page_size) == (50, 500)


def test_ordering_by_whitelisted_fields(as_viewer, production):
    for title in ("b", "c", "a"):
        AIUseFactory(production=production, title=title)
    url = uses_url(production)

    assert [u["title"] for u in as_viewer.get(url, {"ordering": "-title"}).json()["results"]] == ["c", "b", "a"]
    assert [u["title"] for u in as_viewer.get(url, {"ordering": "title"}).json()["results"]] == ["a", "b", "c"]
    # Anything else is ignored rather than an error (and never orders by a hidden field).
    assert as_viewer.get(url, {"ordering": "description"}).status_code == 200


@pytest.fixture(scope="module")
def listed(django_db_setup, django_db_blocker, tmp_path_factory):
    """{count: (production id, its viewer's id)}: productions of 10 and 200 uses relying on consents, written once
    for the listing tests (tests/module_data.py); each test runs in a savepoint over them."""

    def build():
        built = {}
        for count in (10, 200):
            production = ProductionFactory()
            viewer = MembershipFactory(production=production, role=Role.VIEWER).user
            uses_relying_on_consents(production, count, tool=AIToolFactory(), actor=viewer, title="use {}")
            built[count] = production.pk, viewer.pk
        return built

    yield from kept_for_module(django_db_blocker, tmp_path_factory.mktemp("listed"), build)


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize("query", [{}, {"consent_status": "pending_review"}, {"blocked": "true", "page_size": 500}])
def test_listing_costs_the_same_queries_for_10_or_200_uses(listed, db, count, query, django_assert_max_num_queries):
    _folder, built = listed
    production_id, viewer_id = built[count]
    production = Production.objects.get(pk=production_id)
    as_viewer = token_client(get_user_model().objects.get(pk=viewer_id))

    # The first request after the writes brings the production's kept consent statuses up to date
    # (productions.kept_statuses): a dozen queries at most, as many for 200 uses as for 10.
    with django_assert_max_num_queries(11 + 12):
        as_viewer.get(uses_url(production), query)
    cache.clear()  # the page built again (productions.kept_pages), on the kept statuses
    # Token (1, plus its last-use stamp), production (1), the records' revision the page is kept under (1), count
    # (1), the page's ids (1), its uses (1), people (1), consents (1), coverage decisions (1), and for a consent
    # filter the revision the kept statuses are checked against (1); the filter itself is a subquery of the ids, and
    # the count is read from the kept statuses.
    with django_assert_max_num_queries(11):
        response = as_viewer.get(uses_url(production), query)
    # Kept: the token, the production and the revision.
    with django_assert_max_num_queries(4):
        kept = as_viewer.get(uses_url(production), query)

    assert response.status_code == kept.status_code == 200
    assert response.json()["count"] == (0 if "blocked" in query else count)
    assert kept.content == response.content


# ?on=: the consent status on a chosen date


@pytest.fixture
def expiring_use(production):
    person = PersonFactory(production=production)
    consent = ConsentFactory(
        person=person,
        kind=ConsentKind.EMPLOYMENT_REPLICA,
        covers_voice=True,
        covers_likeness=False,
        review_state=ReviewState.APPROVED,
        reviewed_at=timezone.now(),
        expires_on=datetime.date(2026, 12, 31),
    )
    return AIUseFactory(
        production=production, performer_use=PerformerUse.VOICE_CLONE, people=[person], consents=[consent]
    )


def test_the_consent_status_is_given_on_the_date_asked(as_viewer, production, expiring_use):
    base = api(f"productions/{production.pk}/ai-uses/")

    before = as_viewer.get(base, {"on": "2026-12-31"}).json()["results"][0]
    after = as_viewer.get(base, {"on": "2027-01-01"}).json()["results"][0]
    detail = as_viewer.get(f"{base}{expiring_use.pk}/", {"on": "2027-01-01"}).json()

    assert (before["consent_status"], before["blocked"]) == ("covered", False)
    assert (after["consent_status"], after["blocked"]) == ("expired", True)
    assert detail["consent_status"] == "expired"
    assert as_viewer.get(base, {"on": "2027-01-01", "blocked": "true"}).json()["count"] == 1
    assert as_viewer.get(base, {"on": "2026-12-31", "blocked": "true"}).json()["count"] == 0


def test_a_malformed_date_is_refused_with_its_field(as_viewer, production, expiring_use):
    response = as_viewer.get(api(f"productions/{production.pk}/ai-uses/{expiring_use.pk}/"), {"on": "31/12/2026"})

    assert_error(response, 400, fields=["on"])


def test_the_date_is_declared_in_the_schema(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    list_path = next(path for path in paths if path.endswith("/ai-uses/"))
    detail_path = next(path for path in paths if path.endswith("/ai-uses/{id}/"))

    for path in (list_path, detail_path):
        names = {parameter["name"] for parameter in paths[path]["get"]["parameters"]}
        assert "on" in names, path
