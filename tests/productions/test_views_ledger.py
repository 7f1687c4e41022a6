"""The AI-use ledger in the browser: reading, filtering, recording, editing and bulk changes."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from productions import services
from productions.models import AIUse, CoverageDecision
from productions.vocabularies import (
    ConsentKind,
    DeepFake,
    Department,
    DigitalSourceType,
    DisclosureMethod,
    OutputType,
    PerformerUse,
    Phase,
    PublishedIn,
    ReviewState,
    UsePurpose,
)
from tests.factories import AIToolFactory, AIUseFactory, ConsentFactory, PersonFactory, ProductionFactory, covering


def ledger_url(production, **query):
    url = reverse("productions:ledger", args=[production.pk])
    return url + "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else url


def use_url(name, ai_use):
    return reverse(f"productions:{name}", args=[ai_use.production_id, ai_use.pk])


def titles(response):
    return [ai_use.title for ai_use in response.context["uses"]]


# A voice clone consent: a digital replica of the voice, not of the face and body.
VOICE_REPLICA = {"kind": ConsentKind.INDEPENDENT_REPLICA, "covers_voice": True, "covers_likeness": False}


def approved_consent(person, kind=ConsentKind.DIGITAL_ALTERATION, **terms):
    return ConsentFactory(
        person=person, kind=kind, review_state=ReviewState.APPROVED, reviewed_at=timezone.now(), **terms
    )


@pytest.fixture
def collapse(production):
    return AIUseFactory(
        production=production,
        title="Building collapse",
        external_id="EP106_SQ030_SH0120",
        description="Generated video blended with the street plate.",
        shots="Episode 6, sequence 030",
        deep_fake=DeepFake.YES,
        disclosure_method=DisclosureMethod.END_CREDITS,
    )


@pytest.fixture
def storyboards(production):
    return AIUseFactory(
        production=production,
        title="Storyboard frames",
        external_id="PREVIS_003",
        phase=Phase.PRE_PRODUCTION,
        department=Department.DIRECTION,
        output_type=OutputType.IMAGE,
        digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
        is_final=False,
    )


@pytest.fixture
def de_ageing(production):
    """Depicts a performer whose consent was revoked: blocked."""
    person = PersonFactory(production=production, name="Ricardo Darín")
    consent = approved_consent(person, revoked_on=datetime.date(2026, 4, 1))
    return AIUseFactory(
        production=production,
        title="De-ageing in the flashback",
        external_id="EP103_FLASH_010",
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        department=Department.ANIMATION,
        people=[person],
        consents=[consent],
    )


@pytest.fixture
def ledger(collapse, storyboards, de_ageing):
    return [collapse, storyboards, de_ageing]


def valid_form_data(**overrides):
    data = {
        "title": "Sky replacement over the stadium",
        "description": "Generated sky composited behind the practical set.",
        "output_type": OutputType.VIDEO,
        "digital_source_type": DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        "is_final": "on",
        "phase": Phase.VFX,
        "department": Department.VFX,
        "shots": "Episode 5, sequence 040",
        "timecode_in": "00:41:12:05",
        "timecode_out": "00:41:27:18",
        "external_id": "EP105_SQ040_SH0010",
        "performer_use": PerformerUse.NONE,
        "deep_fake": DeepFake.YES,
        "disclosure_method": DisclosureMethod.END_CREDITS,
        "marking_kept_in_master": "unknown",
        "inputs_rights": "own_material",
        "emotion_recognition": "none",
        "version": 1,  # the version an edit form is opened on; the form of a new use has no such field
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Who may see and do what

READ_PAGES = ["ledger", "ai-use-detail"]
WRITE_PAGES = ["ai-use-create", "ai-use-edit", "ai-use-duplicate", "ai-use-delete"]


def page_url(name, ai_use):
    if name in ("ledger", "ai-use-create"):
        return reverse(f"productions:{name}", args=[ai_use.production_id])
    return use_url(name, ai_use)


@pytest.mark.parametrize("name", READ_PAGES)
@pytest.mark.parametrize("role", ["producer", "legal", "viewer"])
def test_every_member_reads_the_ledger_and_its_uses(request, client, collapse, name, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(page_url(name, collapse))

    assert response.status_code == 200
    assert "Building collapse" in response.text


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_the_producer_opens_the_pages_that_change_the_ledger(client, producer, collapse, name):
    client.force_login(producer)

    assert client.get(page_url(name, collapse)).status_code == 200


@pytest.mark.parametrize("name", WRITE_PAGES)
@pytest.mark.parametrize("role", ["legal", "viewer"])
def test_legal_and_viewers_may_not_change_the_ledger(request, client, collapse, name, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(page_url(name, collapse)).status_code == 403
    if name != "ai-use-duplicate":  # the copy is posted to ai-use-create
        assert client.post(page_url(name, collapse), valid_form_data()).status_code == 403
    assert AIUse.objects.filter(pk=collapse.pk, title="Building collapse").exists()


@pytest.mark.parametrize("name", READ_PAGES + WRITE_PAGES)
def test_an_outsider_is_told_the_ledger_does_not_exist(client, outsider, collapse, name):
    client.force_login(outsider)

    assert client.get(page_url(name, collapse)).status_code == 404


@pytest.mark.parametrize("name", READ_PAGES + WRITE_PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, collapse, name):
    response = client.get(page_url(name, collapse))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_use_of_another_production_is_not_found_under_this_one(client, producer, production, outsider):
    foreign = AIUseFactory(production=outsider.memberships.get().production)
    client.force_login(producer)

    url = reverse("productions:ai-use-detail", args=[production.pk, foreign.pk])

    assert client.get(url).status_code == 404


def test_write_controls_are_shown_to_the_producer_only(client, producer, viewer, collapse):
    client.force_login(producer)
    assert "Preview the change" in client.get(ledger_url(collapse.production)).text
    assert "Duplicate this use" in client.get(use_url("ai-use-detail", collapse)).text

    client.force_login(viewer)
    assert "Preview the change" not in client.get(ledger_url(collapse.production)).text
    assert "Duplicate this use" not in client.get(use_url("ai-use-detail", collapse)).text


# The table


def test_the_table_shows_each_use_with_its_consent_status_and_blocked_marker(client, viewer, ledger):
    client.force_login(viewer)

    response = client.get(ledger_url(ledger[0].production))

    assert response.status_code == 200
    assert titles(response) == ["Storyboard frames", "Building collapse", "De-ageing in the flashback"]
    assert "EP106_SQ030_SH0120" in response.text
    assert 'class="status status-revoked"' in response.text
    assert 'class="status status-not_needed"' in response.text
    assert response.text.count('class="blocked"') == 1


# Filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"phase": Phase.PRE_PRODUCTION}, ["Storyboard frames"]),
        ({"department": Department.ANIMATION}, ["De-ageing in the flashback"]),
        ({"is_final": "true"}, ["Building collapse", "De-ageing in the flashback"]),
        ({"is_final": "false"}, ["Storyboard frames"]),
        ({"deep_fake": DeepFake.YES}, ["Building collapse"]),
        ({"digital_source_type": DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA}, ["Storyboard frames"]),
        ({"consent_status": "blocked"}, ["De-ageing in the flashback"]),
        ({"consent_status": "revoked"}, ["De-ageing in the flashback"]),
        ({"consent_status": "covered"}, []),
        ({"consent_status": "not_needed"}, ["Storyboard frames", "Building collapse"]),
        ({"phase": Phase.VFX, "is_final": "true", "consent_status": "blocked"}, ["De-ageing in the flashback"]),
    ],
)
def test_filters_narrow_the_ledger(client, viewer, ledger, query, expected):
    client.force_login(viewer)

    response = client.get(ledger_url(ledger[0].production, **query))

    assert titles(response) == expected


def test_the_tool_filter_finds_the_uses_of_a_tool_or_those_naming_none(client, viewer, ledger):
    collapse, storyboards, de_ageing = ledger
    AIUse.objects.filter(pk=de_ageing.pk).update(tool=None)
    client.force_login(viewer)

    assert titles(client.get(ledger_url(collapse.production, tool=collapse.tool_id))) == ["Building collapse"]
    assert titles(client.get(ledger_url(collapse.production, tool="null"))) == ["De-ageing in the flashback"]


def test_the_tool_filter_offers_only_the_tools_of_this_production(client, viewer, collapse):
    unused = AIToolFactory(product="Used elsewhere only")
    client.force_login(viewer)

    response = client.get(ledger_url(collapse.production))

    tool_choices = [str(label) for _value, label in response.context["filterset"].form.fields["tool"].choices]
    assert str(collapse.tool) in tool_choices
    assert str(unused) not in tool_choices


def test_a_consent_that_covers_the_use_is_found_as_covered(client, viewer, production):
    person = PersonFactory(production=production)
    AIUseFactory(
        production=production,
        title="Voice of the narrator",
        performer_use=PerformerUse.VOICE_CLONE,
        people=[person],
        consents=[approved_consent(person, **VOICE_REPLICA)],
    )
    client.force_login(viewer)

    assert titles(client.get(ledger_url(production, consent_status="covered"))) == ["Voice of the narrator"]


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("collapse", "Building collapse"),  # title
        ("STREET plate", "Building collapse"),  # description, any case, every word
        ("sequence 030", "Building collapse"),  # shots
        ("PREVIS_003", "Storyboard frames"),  # tracker id
    ],
)
def test_search_looks_in_title_description_shots_and_tracker_id(client, viewer, ledger, words, found):
    client.force_login(viewer)

    response = client.get(ledger_url(ledger[0].production), {"q": words})

    assert titles(response) == [found]


def test_a_search_that_matches_nothing_says_so(client, viewer, ledger):
    client.force_login(viewer)

    response = client.get(ledger_url(ledger[0].production), {"q": "dragon"})

    assert titles(response) == []
    assert "No AI use matches." in response.text


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Building collapse", "De-ageing in the flashback", "Storyboard frames"]),
        ("-title", ["Storyboard frames", "De-ageing in the flashback", "Building collapse"]),
        ("external_id", ["De-ageing in the flashback", "Building collapse", "Storyboard frames"]),
        ("-phase", ["Building collapse", "De-ageing in the flashback", "Storyboard frames"]),
        # Not a sort key: the ledger keeps its order (pipeline phase, then title) rather than obey.
        ("production__title", ["Storyboard frames", "Building collapse", "De-ageing in the flashback"]),
    ],
)
def test_the_ledger_sorts_on_whitelisted_keys_only(client, viewer, ledger, sort, expected):
    client.force_login(viewer)

    response = client.get(ledger_url(ledger[0].production, sort=sort))

    assert response.status_code == 200
    assert titles(response) == expected


def test_column_headers_sort_and_reverse_keeping_the_filters(client, viewer, ledger):
    client.force_login(viewer)

    response = client.get(ledger_url(ledger[0].production, phase="vfx", sort="title"))

    assert "?phase=vfx&amp;sort=-title" in response.text
    assert 'aria-sort="ascending"' in response.text


def test_pages_hold_fifty_uses_and_their_links_keep_the_filters(client, viewer, production):
    AIUse.objects.bulk_create(
        AIUse(
            production=production,
            phase=Phase.VFX,
            department=Department.VFX,
            title=f"Shot {number:03d}",
            output_type=OutputType.VIDEO,
            digital_source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        )
        for number in range(120)
    )
    client.force_login(viewer)

    first = client.get(ledger_url(production, phase="vfx", sort="title"))
    last = client.get(ledger_url(production, phase="vfx", sort="title", page=3))

    assert len(titles(first)) == 50
    assert titles(first)[0] == "Shot 000"
    assert titles(last) == [f"Shot {number:03d}" for number in range(100, 120)]
    assert "?phase=vfx&amp;sort=title&amp;page=2" in first.text
    assert "120 AI uses" in first.text


# Bounded queries


def bulk_ledger(production, count):
    """`count` uses, half of them depicting a performer with a consent: the shape of a real ledger."""
    tool = AIToolFactory()
    person = PersonFactory(production=production)
    consent = approved_consent(person)
    uses = AIUse.objects.bulk_create(
        AIUse(
            production=production,
            phase=Phase.VFX,
            department=Department.VFX,
            title=f"Use {number}",
            tool=tool,
            output_type=OutputType.VIDEO,
            digital_source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
            performer_use=PerformerUse.DIGITAL_ALTERATION if number % 2 else PerformerUse.NONE,
        )
        for number in range(count)
    )
    depicting = [ai_use for ai_use in uses if ai_use.performer_use != PerformerUse.NONE]
    AIUse.people.through.objects.bulk_create(
        AIUse.people.through(aiuse_id=ai_use.pk, person_id=person.pk) for ai_use in depicting
    )
    # Every other depicting use lacks its consent: blocked. The others' coverage legal confirmed.
    AIUse.consents.through.objects.bulk_create(
        AIUse.consents.through(aiuse_id=ai_use.pk, consent_id=consent.pk) for ai_use in depicting[::2]
    )
    CoverageDecision.objects.bulk_create(covering(consent, ai_use, at=timezone.now()) for ai_use in depicting[::2])


# Session, user, production and role, the records' revision the filters and table are kept under
# (productions.kept_pages), the tools offered by the filter, the count, the page's ids, its rows read by those ids
# and their statuses' five (the facts a coverage decision was made on, which the table does not show; people;
# consent links; consents; coverage decisions), the user's saved views and the unread notifications in the header.
# The episodes and sequences are fetched when their filter is first focused (views.ledger.ledger_parts).
# Filtering on the consent status adds the revision the kept statuses are checked against
# (productions.kept_statuses); the filter itself is a subquery of the ids', and alone it is counted on the kept
# statuses.
LEDGER_QUERIES = 15
LEDGER_QUERIES_FILTERED_ON_CONSENT = LEDGER_QUERIES + 1
# The first filtered view after a write recomputes the kept statuses, as many queries for 300 uses as for 20.
STATUS_RECOMPUTE_QUERIES = 12
# A request that finds the filters and table kept reads only the session, user, production and role, the revision,
# the saved views and the notifications.
KEPT_LEDGER_QUERIES = 6

CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*"')


def without_csrf_tokens(html):
    """A page's HTML without its CSRF tokens, masked anew on every response."""
    return CSRF_TOKEN.sub(r"\1", html)


@pytest.mark.parametrize("count", [20, 300])
@pytest.mark.parametrize(
    ("query", "bound"),
    [
        ({}, LEDGER_QUERIES),
        ({"consent_status": "blocked"}, LEDGER_QUERIES_FILTERED_ON_CONSENT),
        ({"consent_status": "covered", "sort": "-tool"}, LEDGER_QUERIES_FILTERED_ON_CONSENT),
    ],
)
def test_the_ledger_costs_the_same_queries_whatever_its_size(
    client, producer, production, django_assert_max_num_queries, count, query, bound
):
    bulk_ledger(production, count)
    client.force_login(producer)
    with django_assert_max_num_queries(bound + STATUS_RECOMPUTE_QUERIES):
        client.get(ledger_url(production, **query))
    cache.clear()  # built again, on current statuses

    with django_assert_max_num_queries(bound):
        response = client.get(ledger_url(production, **query))
    with django_assert_max_num_queries(KEPT_LEDGER_QUERIES):
        kept = client.get(ledger_url(production, **query))

    assert response.status_code == kept.status_code == 200
    assert len(response.context["uses"]) == min(50, count if not query else count // 4)
    assert without_csrf_tokens(kept.text) == without_csrf_tokens(response.text)


# Recording a use


def test_the_producer_records_a_use(client, producer, production):
    tool = AIToolFactory()
    person = PersonFactory(production=production)
    consent = approved_consent(person)
    client.force_login(producer)

    response = client.post(
        reverse("productions:ai-use-create", args=[production.pk]),
        valid_form_data(
            tool=tool.pk,
            performer_use=PerformerUse.DIGITAL_ALTERATION,
            people=[person.pk],
            consents=[consent.pk],
        ),
    )

    ai_use = AIUse.objects.get(external_id="EP105_SQ040_SH0010")
    assert response.status_code == 302
    assert response.url == use_url("ai-use-detail", ai_use)
    assert ai_use.production == production
    assert ai_use.tool == tool
    assert ai_use.is_final is True
    assert list(ai_use.people.all()) == [person]
    assert list(ai_use.consents.all()) == [consent]
    assert ai_use.history.latest().history_user == producer


def test_record_and_add_another_comes_back_preselected(client, producer, production):
    tool = AIToolFactory()
    client.force_login(producer)

    response = client.post(
        reverse("productions:ai-use-create", args=[production.pk]), valid_form_data(tool=tool.pk, save_and_add="1")
    )
    form = client.get(response.url).context["form"]

    assert response.url.startswith(reverse("productions:ai-use-create", args=[production.pk]) + "?")
    assert form["phase"].value() == Phase.VFX
    assert form["department"].value() == Department.VFX
    assert str(form["tool"].value()) == str(tool.pk)
    assert form["is_final"].value() is True


@pytest.mark.parametrize(
    ("query", "phase", "department", "is_final"),
    [
        ("?phase=sound_music", Phase.SOUND_MUSIC, Department.SOUND, True),
        ("?phase=pre_production", Phase.PRE_PRODUCTION, Department.DIRECTION, False),
        ("?phase=vfx&department=animation&is_final=false", Phase.VFX, Department.ANIMATION, False),
    ],
)
def test_a_new_use_starts_from_sensible_defaults(client, producer, production, query, phase, department, is_final):
    client.force_login(producer)

    form = client.get(reverse("productions:ai-use-create", args=[production.pk]) + query).context["form"]

    assert (form["phase"].value(), form["department"].value(), form["is_final"].value()) == (
        phase,
        department,
        is_final,
    )


def test_invalid_data_is_shown_on_its_field_and_nothing_is_written(client, producer, production):
    client.force_login(producer)

    response = client.post(
        reverse("productions:ai-use-create", args=[production.pk]),
        valid_form_data(timecode_in="00:12:00", output_type=None),
    )

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"timecode_in", "output_type"}
    assert "Enter a SMPTE timecode such as 01:02:03:04." in response.text
    assert 'value="Sky replacement over the stadium"' in response.text  # nothing typed is lost
    assert not AIUse.objects.exists()


def test_the_form_asks_when_a_use_was_made_where_it_was_published_and_why(client, producer, production):
    client.force_login(producer)

    page = client.get(reverse("productions:ai-use-create", args=[production.pk])).text

    assert "<legend>When</legend>" in page
    for name in ("used_from", "used_until"):
        assert f'type="date" name="{name}"' in page
    assert "<legend>Published outside the final work in</legend>" in page
    assert 'type="checkbox" name="published_in" value="trailer"' in page
    assert '<option value="safety">Safety reasons (e.g. stunt or fatigue monitoring)</option>' in page
    assert 'name="intimate_imagery"' in page


def test_the_dates_publications_purpose_and_intimate_imagery_of_a_use_are_recorded_and_shown(
    client, producer, production
):
    client.force_login(producer)

    response = client.post(
        reverse("productions:ai-use-create", args=[production.pk]),
        valid_form_data(
            used_from="2026-08-24",
            used_until="2026-11-13",
            published_in=[PublishedIn.SOCIAL, PublishedIn.TRAILER],
            purpose=UsePurpose.SAFETY,
            intimate_imagery="on",
        ),
    )

    ai_use = AIUse.objects.get(external_id="EP105_SQ040_SH0010")
    assert response.status_code == 302
    assert (ai_use.used_from, ai_use.used_until) == (datetime.date(2026, 8, 24), datetime.date(2026, 11, 13))
    assert ai_use.published_in == [PublishedIn.TRAILER, PublishedIn.SOCIAL]
    assert (ai_use.purpose, ai_use.intimate_imagery) == (UsePurpose.SAFETY, True)
    detail = client.get(response.url).text
    assert "<dt>First used on</dt>\n          <dd>Aug. 24, 2026</dd>" in detail
    assert "<dt>Published outside the final work in</dt>\n          <dd>Trailer or teaser, Social media</dd>" in detail
    assert "Safety reasons (e.g. stunt or fatigue monitoring)" in detail
    assert "<dt>Generates sexual or intimate imagery of an identifiable person</dt>\n          <dd>Yes</dd>" in detail
    edit = client.get(use_url("ai-use-edit", ai_use)).text
    assert 'name="used_until" value="2026-11-13"' in edit
    assert 'name="published_in" value="trailer" id="id_published_in_0" checked' in edit


def test_a_use_that_ends_before_it_begins_or_is_published_somewhere_unknown_is_refused(client, producer, production):
    client.force_login(producer)

    response = client.post(
        reverse("productions:ai-use-create", args=[production.pk]),
        valid_form_data(used_from="2026-11-13", used_until="2026-08-24", published_in=["billboard"]),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "used_until": ["The last use comes after the first."],
        "published_in": ["Select a valid choice. billboard is not one of the available choices."],
    }
    assert not AIUse.objects.exists()


def test_a_tracker_id_already_used_in_the_production_is_refused(client, producer, collapse):
    client.force_login(producer)

    response = client.post(
        reverse("productions:ai-use-create", args=[collapse.production_id]),
        valid_form_data(external_id="ep106/sq030/sh0120"),
    )

    assert response.status_code == 200
    assert f"“{collapse.title}” already has this tracker id, as EP106_SQ030_SH0120." in response.text
    assert "leading zeros count" in response.text
    assert AIUse.objects.count() == 1


def test_a_refusal_by_the_service_is_shown_on_the_form(client, producer, production, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"shots": "Name the shots.", "__all__": "Locked while the cut is exported."})

    monkeypatch.setattr(services, "create_ai_use", refuse)
    client.force_login(producer)

    response = client.post(reverse("productions:ai-use-create", args=[production.pk]), valid_form_data())

    assert response.status_code == 200
    assert response.context["form"].errors["shots"] == ["Name the shots."]
    assert response.context["form"].non_field_errors() == ["Locked while the cut is exported."]


@pytest.mark.parametrize("relation", ["people", "consents"])
def test_people_and_consents_of_another_production_are_refused(client, producer, production, relation):
    foreign_person = PersonFactory(production=ProductionFactory(), name="Not in this film")
    foreign = {"people": foreign_person, "consents": approved_consent(foreign_person)}[relation]
    client.force_login(producer)

    response = client.post(
        reverse("productions:ai-use-create", args=[production.pk]), valid_form_data(**{relation: [foreign.pk]})
    )

    assert response.status_code == 200
    assert relation in response.context["form"].errors
    assert "Not in this film" not in response.text
    assert not AIUse.objects.exists()


def test_the_producer_edits_a_use(client, producer, collapse):
    client.force_login(producer)

    response = client.post(
        use_url("ai-use-edit", collapse),
        valid_form_data(title="Building collapse, wider", external_id=collapse.external_id),
    )

    collapse.refresh_from_db()
    assert response.status_code == 302
    assert collapse.title == "Building collapse, wider"
    assert collapse.history.latest().history_user == producer


def test_duplicating_opens_the_form_filled_in_from_the_use(client, producer, de_ageing):
    client.force_login(producer)

    response = client.get(use_url("ai-use-duplicate", de_ageing))

    form = response.context["form"]
    assert form["title"].value() == "De-ageing in the flashback (copy)"
    assert form["external_id"].value() == ""
    assert form["performer_use"].value() == PerformerUse.DIGITAL_ALTERATION
    assert [str(pk) for pk in form["people"].value()] == [str(p.pk) for p in de_ageing.people.all()]
    assert f'action="{reverse("productions:ai-use-create", args=[de_ageing.production_id])}"' in response.text
    assert AIUse.objects.count() == 1  # opening the copy writes nothing


def test_deleting_asks_first_then_deletes_on_post(client, producer, collapse):
    client.force_login(producer)

    confirmation = client.get(use_url("ai-use-delete", collapse))
    assert confirmation.status_code == 200
    assert AIUse.objects.filter(pk=collapse.pk).exists()

    response = client.post(use_url("ai-use-delete", collapse))

    assert response.status_code == 302
    assert response.url == ledger_url(collapse.production)
    assert not AIUse.objects.filter(pk=collapse.pk).exists()


# One use


def test_the_detail_page_explains_what_blocks_a_use(client, viewer, de_ageing):
    client.force_login(viewer)

    response = client.get(use_url("ai-use-detail", de_ageing))

    assert "Ricardo Darín" in response.text
    assert 'class="status status-revoked"' in response.text
    assert "Blocked: this use may not go into the work" in response.text
    assert "A consent this use relies on was withdrawn" in response.text


def test_the_detail_page_names_the_consent_a_person_lacks(client, viewer, production):
    person = PersonFactory(production=production, name="Lionel Abara")
    voice = approved_consent(person, **VOICE_REPLICA)
    ai_use = AIUseFactory(
        production=production,
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[person],
        consents=[voice],
    )
    client.force_login(viewer)

    response = client.get(use_url("ai-use-detail", ai_use))

    assert 'class="status status-out_of_scope"' in response.text
    assert "Missing: no consent of the kind “Digital alteration” is linked for this person." in response.text
    assert "another kind of use: does not cover this one" in response.text


# CSRF


@pytest.mark.parametrize("name", ["ai-use-create", "ai-use-bulk", "ai-use-delete"])
def test_a_post_without_csrf_token_is_refused(producer, collapse, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(producer)
    url = (
        reverse(f"productions:{name}", args=[collapse.production_id])
        if name != "ai-use-delete"
        else use_url(name, collapse)
    )

    response = client.post(url, {**valid_form_data(), "action": "mark_temporary", "uses": [collapse.pk]})

    assert response.status_code == 403
    assert AIUse.objects.filter(pk=collapse.pk, is_final=True).exists()
    assert AIUse.objects.count() == 1
