"""The ledger's filters and table and the API's pages of uses are kept per records revision (productions.kept_pages):
read back for the same request on the same records, and built anew after any write to a record they show, on a new
day, in another language or for another role. Nothing kept reaches anyone without access to the production."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from productions import catalogue, kept_pages, services
from productions.models import OrganisationToolPolicy
from productions.vocabularies import CoverageDecisionKind, PerformerUse, ProductionKind, ToolPolicyStatus
from tests.api.conftest import api, token_client
from tests.factories import AIToolFactory, AIUseFactory, PersonFactory
from tests.productions.test_views_ledger import approved_consent, ledger_url, without_csrf_tokens

TODAY = timezone.localdate()


@pytest.fixture
def series(production, producer):
    """A series whose tracker ids are read sequence first: the use below is in no episode EP1 yet."""
    return services.update_production(
        actor=producer,
        production=production,
        kind=ProductionKind.SERIES,
        tracker_id_pattern="{sequence}_{episode}_{shot}",
    )


@pytest.fixture
def relying(series):
    """A use of a shared tool, relying on a consent that expires today: covered today, expired tomorrow."""
    person = PersonFactory(production=series, name="Ana Vidal")
    consent = approved_consent(person, expires_on=TODAY)
    return AIUseFactory(
        production=series,
        title="De-ageing the lead",
        external_id="EP1_SQ2_SH3",
        tool=AIToolFactory(vendor="Acme", product="Face"),
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[person],
        consents=[consent],
    )


def _ledger_lists(client, ai_use, query):
    response = client.get(ledger_url(ai_use.production, **query))
    assert response.status_code == 200
    return f'id="use-row-{ai_use.pk}"' in response.text


def _api_lists(client, ai_use, query):
    names = {"q": "search", "consent_status": "consent_status"}
    api_query = {names.get(name, name): value for name, value in query.items()}
    if api_query.get("consent_status") == "blocked":
        api_query = {"blocked": "true"}
    response = client.get(api(f"productions/{ai_use.production_id}/ai-uses/"), api_query)
    assert response.status_code == 200
    return ai_use.pk in [listed["id"] for listed in response.json()["results"]]


def _signed_in(client, user, lists):
    """The web client signed in as `user` for the ledger, or an API client with a token of theirs."""
    if lists is _api_lists:
        return token_client(user)
    client.force_login(user)
    return client


def _rename_use(ai_use, users):
    services.update_ai_use(actor=users["producer"], ai_use=ai_use, title="De-ageing the lead, take 2")


def _revoke(ai_use, users):
    services.revoke_consent(actor=users["legal"], consent=ai_use.consents.get(), on=TODAY, reason="Withdrawn on set.")


def _refuse_coverage(ai_use, users):
    services.decide_coverage(
        actor=users["legal"],
        consent=ai_use.consents.get(),
        ai_uses=[ai_use],
        decision=CoverageDecisionKind.DOES_NOT_COVER,
        note="The consent names the voice only.",
    )


def _rename_person(ai_use, users):
    services.update_person(actor=users["producer"], person=ai_use.people.get(), name="Ana Vidal-Ruiz")


def _rename_tool(ai_use, users):
    catalogue.update_tool(actor=users["curator"], tool=ai_use.tool, product="Face Two", reason="Renamed by the vendor.")


def _block_tool(ai_use, users):
    OrganisationToolPolicy.objects.create(
        organisation=ai_use.production.organisation, tool=ai_use.tool, status=ToolPolicyStatus.BLOCKED
    )


def _read_episodes_first(ai_use, users):
    services.update_production(
        actor=users["producer"], production=ai_use.production, tracker_id_pattern="{episode}_{sequence}_{shot}"
    )


# (write, a query whose page lists the use only once the write is shown)
WRITES = [
    (_rename_use, {"q": "take"}),
    (_revoke, {"consent_status": "revoked"}),
    (_refuse_coverage, {"consent_status": "blocked"}),
    (_rename_person, {"q": "Ruiz"}),
    (_rename_tool, {"q": "Two"}),
    (_block_tool, {"tool_blocked": "true"}),
    (_read_episodes_first, {"episode": "EP1"}),
]


# The API shows no tool policy and filters on none.
CASES = [
    pytest.param(lists, write, query, id=f"{lists.__name__.split('_')[1]}-{write.__name__.strip('_')}")
    for lists in (_ledger_lists, _api_lists)
    for write, query in WRITES
    if not (lists is _api_lists and write is _block_tool)
]


@pytest.mark.parametrize(("lists", "write", "query"), CASES)
def test_a_page_kept_before_a_write_is_built_anew_after_it(
    client, relying, producer, legal, curator, write, query, lists
):
    client = _signed_in(client, producer, lists)
    assert not lists(client, relying, query)
    assert not lists(client, relying, query)  # read back as kept

    write(relying, {"producer": producer, "legal": legal, "curator": curator})

    assert lists(client, relying, query)


@pytest.mark.parametrize("lists", [_ledger_lists, _api_lists], ids=["ledger", "api"])
def test_a_page_kept_today_is_built_anew_tomorrow(client, relying, producer, monkeypatch, lists):
    client = _signed_in(client, producer, lists)
    expired = {"consent_status": "expired"}
    assert not lists(client, relying, expired)
    assert lists(client, relying, {"consent_status": "covered"})

    tomorrow = TODAY + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    assert lists(client, relying, expired)
    assert not lists(client, relying, {"consent_status": "covered"})


def test_the_ledger_kept_for_an_editor_is_not_shown_to_a_viewer(client, relying, producer, viewer):
    client.force_login(producer)
    editing = client.get(ledger_url(relying.production))
    client.force_login(viewer)
    reading = client.get(ledger_url(relying.production))

    assert editing.text.count('class="grid-edit"') == 9
    assert 'class="grid-edit"' not in reading.text
    assert f'id="use-row-{relying.pk}"' in reading.text


def test_the_ledger_kept_in_one_language_is_not_shown_in_another(client, relying, producer):
    client.force_login(producer)
    english = client.get(ledger_url(relying.production), HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(ledger_url(relying.production), HTTP_ACCEPT_LANGUAGE="fr")

    assert "Final or temporary" in english.text
    assert "Finale ou temporaire" in french.text
    assert "Final or temporary" not in french.text


def test_what_is_kept_reaches_no_one_without_access(client, relying, producer, outsider):
    client.force_login(producer)
    assert client.get(ledger_url(relying.production)).status_code == 200
    as_producer = token_client(producer)
    uses = api(f"productions/{relying.production_id}/ai-uses/")
    assert as_producer.get(uses).status_code == 200

    client.force_login(outsider)
    assert client.get(ledger_url(relying.production)).status_code == 404
    assert token_client(outsider).get(uses).status_code == 404


def test_a_kept_page_is_the_page_built_for_the_same_request(client, relying, producer):
    client.force_login(producer)
    query = {"consent_status": "covered", "sort": "-title"}
    built = client.get(ledger_url(relying.production, **query))
    kept = client.get(ledger_url(relying.production, **query))

    assert built.context["uses"] == [relying]
    assert kept.context.get("uses") is None  # read back: nothing was built
    assert without_csrf_tokens(kept.text) == without_csrf_tokens(built.text)


def test_a_kept_api_page_writes_its_links_for_the_request(relying, producer, settings):
    settings.ALLOWED_HOSTS = ["testserver", "api.example.org"]
    for number in range(3):
        AIUseFactory(production=relying.production, title=f"Sky {number}")
    as_producer = token_client(producer)
    uses = api(f"productions/{relying.production_id}/ai-uses/")

    built = as_producer.get(uses, {"page_size": 2, "page": 2}).json()
    kept = as_producer.get(uses, {"page_size": 2, "page": 2}).json()
    elsewhere = as_producer.get(uses, {"page_size": 2, "page": 2}, HTTP_HOST="api.example.org").json()

    assert kept == built
    assert (built["count"], len(built["results"])) == (4, 2)
    assert built["previous"].endswith("?page_size=2") and built["next"] is None
    assert elsewhere["previous"].startswith("http://api.example.org/")
    assert elsewhere["results"] == built["results"]


class _Refusing:
    """A cache that answers `works` and refuses the rest, as a shared cache that is down does."""

    def __init__(self, works):
        self.works = works

    def __getattr__(self, name):
        if name in self.works:
            return getattr(cache, name)

        def refuse(*args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return refuse


@pytest.mark.parametrize("works", [(), ("get",)], ids=["down", "full"])
def test_a_cache_that_does_not_answer_costs_speed_not_the_page(client, relying, producer, monkeypatch, works):
    # The kept pages' cache alone: the API's throttling reads the same cache, and answers 500 when it is down.
    monkeypatch.setattr(kept_pages, "cache", _Refusing(works))
    client.force_login(producer)

    page = client.get(ledger_url(relying.production, consent_status="covered"))
    uses = api(f"productions/{relying.production_id}/ai-uses/")
    listed = token_client(producer).get(uses, {"consent_status": "covered"})

    assert page.status_code == listed.status_code == 200
    assert f'id="use-row-{relying.pk}"' in page.text
    assert [use["id"] for use in listed.json()["results"]] == [relying.pk]


@pytest.mark.parametrize("lists", [_ledger_lists, _api_lists], ids=["ledger", "api"])
def test_a_write_while_a_page_is_built_is_shown_by_the_next_request(client, relying, producer, monkeypatch, lists):
    """The revision is read before the part is built: a write that lands after the build read the records leaves the
    older content under the older key, and the next request, keyed on the newer revision, builds anew."""
    keep = kept_pages.kept

    def build_then_write(key, build):
        def built():
            value = build()
            services.update_ai_use(actor=producer, ai_use=relying, title="De-ageing the lead, take 2")
            return value

        return keep(key, built)

    monkeypatch.setattr(kept_pages, "kept", build_then_write)
    client = _signed_in(client, producer, lists)
    assert not lists(client, relying, {"q": "take"})  # built on the records before the write
    monkeypatch.setattr(kept_pages, "kept", keep)

    assert lists(client, relying, {"q": "take"})
