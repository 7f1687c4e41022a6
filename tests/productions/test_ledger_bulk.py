"""Bulk edits in the ledger: any field of the selected uses, or of every use matching the filters, previewed, then
applied in one audited transaction."""

import math

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productions import services
from productions.bulk_edit import BATCH_SIZE
from productions.conflicts import Conflict
from productions.models import AIUse, BlockedUse
from productions.vocabularies import (
    ConsentKind,
    DeepFake,
    Department,
    DigitalSourceType,
    DisclosureMethod,
    OutputType,
    PerformerUse,
    Phase,
)
from tests.factories import AIToolFactory, AIUseFactory, ConsentFactory, PersonFactory, ProductionFactory


def url(name, production):
    return reverse(f"productions:{name}", args=[production.pk])


def preview(client, production, selected=(), htmx=False, **data):
    data = {"uses": [ai_use.pk for ai_use in selected], "filters": "phase=vfx", **data}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url("ai-use-bulk", production), data, headers=headers)


def apply_data(response):
    """What the preview's "Apply" form sends."""
    data = {}
    for name, value in [*response.context["carried"], ("versions", response.context["versions"])]:
        data.setdefault(name, []).append(value)
    return data


def apply(client, production, response, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url("ai-use-bulk-apply", production), apply_data(response), headers=headers)


def preview_and_apply(client, production, selected=(), **data):
    response = preview(client, production, selected, **data)
    assert response.status_code == 200, response.text
    return apply(client, production, response)


def fresh(ai_use):
    return AIUse.objects.get(pk=ai_use.pk)


def entries(ai_use):
    return ai_use.history.order_by("history_date", "history_id")


@pytest.fixture
def ledger(production):
    collapse = AIUseFactory(production=production, title="Building collapse", external_id="EP106_SQ030_SH0120")
    crowd = AIUseFactory(production=production, title="Crowd extension", external_id="EP106_SQ030_SH0130")
    storyboards = AIUseFactory(
        production=production,
        title="Storyboard frames",
        phase=Phase.PRE_PRODUCTION,
        department=Department.DIRECTION,
        output_type=OutputType.IMAGE,
        is_final=False,
    )
    return collapse, crowd, storyboards


# Each kind of field


def test_a_tool_is_named_on_the_selected_uses_with_one_history_entry_each(client, producer, production, ledger):
    collapse, crowd, storyboards = ledger
    runway = AIToolFactory(vendor="Runway", product="Gen-4", model_name="", model_version="")
    storyboards.tool = runway
    storyboards.save()
    before = {ai_use.pk: entries(ai_use).count() for ai_use in ledger}
    client.force_login(producer)

    response = preview_and_apply(client, production, ledger, field="tool", tool=runway.pk)

    assert response.status_code == 302
    assert response.url == reverse("productions:ledger", args=[production.pk]) + "?phase=vfx"
    assert {fresh(ai_use).tool_id for ai_use in ledger} == {runway.pk}
    for ai_use in (collapse, crowd):
        stored = fresh(ai_use)
        assert stored.version == 2
        assert entries(ai_use).count() == before[ai_use.pk] + 1
        entry = entries(ai_use).last()
        assert (entry.history_user, entry.history_change_reason) == (producer, "bulk edit: tool")
        assert entry.tool_id == runway.pk
    # Already on Runway: neither written nor counted a version.
    assert (fresh(storyboards).version, entries(storyboards).count()) == (1, before[storyboards.pk])
    assert "2 uses changed: Tool: Runway Gen-4." in client.get(response.url).text


def test_no_tool_named_is_a_value_too(client, producer, production, ledger):
    client.force_login(producer)

    preview_and_apply(client, production, ledger, field="tool", tool="")

    assert not AIUse.objects.filter(tool__isnull=False).exists()


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("phase", Phase.POST_PICTURE, Phase.POST_PICTURE),
        ("department", Department.COLOUR, Department.COLOUR),
        ("output_type", OutputType.IMAGE, OutputType.IMAGE),
        ("digital_source_type", DigitalSourceType.ALGORITHMICALLY_ENHANCED, DigitalSourceType.ALGORITHMICALLY_ENHANCED),
        ("disclosure_method", DisclosureMethod.ON_SCREEN_LABEL, DisclosureMethod.ON_SCREEN_LABEL),
        ("deep_fake", DeepFake.NO, DeepFake.NO),
        ("is_final", "false", False),
    ],
)
def test_each_choice_and_the_final_flag(client, producer, production, ledger, field, value, stored):
    client.force_login(producer)

    preview_and_apply(client, production, ledger, field=field, **{field: value})

    assert {getattr(fresh(ai_use), field) for ai_use in ledger} == {stored}
    assert {entries(ai_use).last().history_change_reason for ai_use in ledger if entries(ai_use).count() > 1} == {
        f"bulk edit: {field}"
    }


def test_a_person_is_added_and_the_history_entries_hold_the_links_after_the_change(
    client, producer, production, ledger
):
    collapse, crowd, storyboards = ledger
    ines, tomas = PersonFactory(production=production, name="Inés"), PersonFactory(production=production, name="Tomás")
    collapse.people.set([tomas])
    crowd.people.set([ines])
    entries_before = entries(crowd).count()
    client.force_login(producer)

    response = preview(client, production, ledger, field="add_people", person=ines.pk)

    assert [row[0] for row in response.context["sample"]] == [collapse, storyboards]
    assert "Tomás" in response.text and "Inés, Tomás" in response.text  # before → after of the collapse
    apply(client, production, response)

    assert set(fresh(collapse).people.all()) == {ines, tomas}
    assert set(fresh(storyboards).people.all()) == {ines}
    entry = entries(collapse).last()
    assert entry.history_change_reason == "bulk edit: add_people"
    assert {link.person_id for link in entry.people.all()} == {ines.pk, tomas.pk}
    assert {link.person_id for link in entries(storyboards).last().people.all()} == {ines.pk}
    assert entries(crowd).count() == entries_before  # already depicted her


def test_a_consent_is_removed_and_the_others_stay(client, producer, production, ledger):
    collapse, crowd, _storyboards = ledger
    person = PersonFactory(production=production)
    kept, withdrawn = ConsentFactory(person=person), ConsentFactory(person=person, kind=ConsentKind.EMPLOYMENT_REPLICA)
    collapse.consents.set([kept, withdrawn])
    crowd.consents.set([withdrawn])
    client.force_login(producer)

    response = preview(client, production, ledger, field="remove_consents", consent=withdrawn.pk)
    assert response.context["plan"].unchanged == 1
    apply(client, production, response)

    assert list(fresh(collapse).consents.all()) == [kept]
    assert not fresh(crowd).consents.exists()
    assert [link.consent_id for link in entries(collapse).last().consents.all()] == [kept.pk]
    assert not entries(crowd).last().consents.exists()


def test_a_person_added_can_block_a_use_and_the_block_is_told(client, producer, production):
    voiced = AIUseFactory(production=production, performer_use=PerformerUse.VOICE_CLONE, output_type=OutputType.AUDIO)
    client.force_login(producer)

    preview_and_apply(client, production, [voiced], field="add_people", person=PersonFactory(production=production).pk)

    assert BlockedUse.objects.filter(ai_use=voiced).exists()


# The preview


def test_the_preview_counts_and_shows_before_and_after_and_writes_nothing(client, producer, production, ledger):
    collapse, crowd, storyboards = ledger
    client.force_login(producer)

    response = preview(client, production, ledger, field="phase", phase=Phase.VFX)

    assert response.status_code == 200
    plan = response.context["plan"]
    assert (plan.selected, len(plan.changing), plan.unchanged, plan.refused) == (3, 1, 2, [])
    text = response.text
    assert "Preview: Phase: Visual effects" in text
    assert "3 uses selected" in text and "1 will change" in text and "2 already have this value" in text
    assert "Storyboard frames" in text and "Pre-production" in text
    assert "Apply to 1 use" in text
    assert fresh(storyboards).phase == Phase.PRE_PRODUCTION
    assert all(entries(ai_use).count() == 1 for ai_use in ledger)


def test_the_preview_lists_a_sample_and_says_how_many_it_leaves_out(client, producer, production):
    many = [AIUseFactory(production=production, is_final=True) for _ in range(55)]
    client.force_login(producer)

    response = preview(client, production, many, field="is_final", is_final="false")

    assert len(response.context["sample"]) == 50
    assert "The first 50 of 55 changes are shown." in response.text
    assert "Apply to 55 uses" in response.text


def test_nothing_to_apply_when_every_use_has_the_value(client, producer, production, ledger):
    client.force_login(producer)

    response = preview(client, production, ledger[:2], field="deep_fake", deep_fake=DeepFake.NOT_DETERMINED)

    assert "Nothing to change: every selected use already has this value." in response.text
    assert "Apply to" not in response.text


def test_without_script_the_value_is_asked_for_then_previewed(client, producer, production, ledger):
    client.force_login(producer)

    # The bar shows only the field without script: the value's control comes on the next page, selection kept.
    response = preview(client, production, ledger[:2], field="department")

    assert response.status_code == 400
    assert "Choose the new value." in response.text
    assert 'name="department"' in response.text
    assert f'name="uses" value="{ledger[0].pk}"' in response.text
    assert "<html" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"field": "delete_everything"}, "Select a valid choice."),
        ({"field": "disclosure_method", "disclosure_method": ""}, "Choose the new value."),
        ({"field": "phase", "phase": "nowhere"}, "Select a valid choice."),
    ],
)
def test_an_incomplete_change_is_refused_and_nothing_changes(client, producer, production, ledger, data, message):
    client.force_login(producer)

    response = preview(client, production, ledger, htmx=True, **data)

    assert response.status_code == 400
    assert message in response.text
    assert all(entries(ai_use).count() == 1 for ai_use in ledger)


def test_the_value_control_follows_the_field_chosen(client, producer, production, outsider):
    PersonFactory(production=production, name="Inés")
    PersonFactory(production=outsider.memberships.get().production, name="Someone else")
    client.force_login(producer)

    phase = client.get(url("ai-use-bulk-value", production), {"field": "phase"})
    person = client.get(url("ai-use-bulk-value", production), {"field": "add_people"})

    assert 'name="phase"' in phase.text and "Visual effects" in phase.text
    assert 'name="person"' in person.text and "Inés" in person.text
    assert "Someone else" not in person.text


# All or nothing


def test_a_use_refused_is_listed_and_nothing_is_offered_to_apply(client, producer, production, ledger):
    script = AIUseFactory(production=production, title="Script notes", output_type=OutputType.TEXT)
    client.force_login(producer)

    response = preview(client, production, [*ledger, script], field="deep_fake", deep_fake=DeepFake.YES)

    assert [ai_use for ai_use, _reason in response.context["plan"].refused] == [script]
    assert "Only image, video or audio content can be a deep fake." in response.text
    assert "1 cannot take this change" in response.text
    assert "Apply to" not in response.text


def test_the_service_writes_nothing_when_one_use_is_refused(producer, production, ledger):
    script = AIUseFactory(production=production, title="Script notes", output_type=OutputType.TEXT)

    with pytest.raises(ValidationError, match="Only image, video or audio content can be a deep fake"):
        services.bulk_update_ai_uses(
            actor=producer, production=production, ai_uses=[*ledger, script], changes={"deep_fake": DeepFake.YES}
        )

    assert not AIUse.objects.filter(deep_fake=DeepFake.YES).exists()
    assert all(entries(ai_use).count() == 1 for ai_use in ledger)


def test_a_use_stored_invalid_is_refused_by_name(client, producer, production):
    fine = AIUseFactory(production=production, title="A fine use", is_final=False)
    # Written around the services, as an import from an old tracker might have left it.
    broken = AIUseFactory(production=production, title="B broken timecode", external_id="OLD_7", is_final=False)
    AIUse.objects.filter(pk=broken.pk).update(timecode_in="7s in")
    client.force_login(producer)

    response = preview(client, production, [fine, broken], field="is_final", is_final="true")

    assert [ai_use.title for ai_use, _reason in response.context["plan"].refused] == ["B broken timecode"]
    assert "OLD_7" in response.text
    with pytest.raises(ValidationError, match="“B broken timecode” \\(OLD_7\\) cannot be saved"):
        services.bulk_update_ai_uses(
            actor=producer, production=production, ai_uses=[fine, broken], changes={"is_final": True}
        )
    assert not AIUse.objects.filter(is_final=True).exists()


@pytest.mark.parametrize("change", ["add_people", "add_consents"])
def test_the_service_refuses_people_and_consents_of_another_production(producer, production, ledger, change):
    elsewhere = PersonFactory(production=ProductionFactory())
    target = elsewhere if change == "add_people" else ConsentFactory(person=elsewhere)

    with pytest.raises(ValidationError, match="of this production"):
        services.bulk_update_ai_uses(actor=producer, production=production, ai_uses=ledger, changes={change: [target]})

    assert not AIUse.people.through.objects.exists() and not AIUse.consents.through.objects.exists()


def test_a_person_of_another_production_is_not_offered(client, producer, production, ledger, outsider):
    foreign = PersonFactory(production=outsider.memberships.get().production)
    client.force_login(producer)

    response = preview(client, production, ledger, field="add_people", person=foreign.pk)

    assert response.status_code == 400
    assert "Select a valid choice." in response.text
    assert not AIUse.people.through.objects.exists()


# Changes made meanwhile


def test_a_use_changed_since_the_preview_refuses_the_apply_and_shows_the_preview_again(
    client, producer, production, ledger
):
    collapse, crowd, storyboards = ledger
    client.force_login(producer)
    method = DisclosureMethod.END_CREDITS
    first = preview(client, production, ledger, field="disclosure_method", disclosure_method=method)
    services.update_ai_use(actor=producer, ai_use=fresh(crowd), disclosure_method=DisclosureMethod.END_CREDITS)

    response = apply(client, production, first)

    assert response.status_code == 409
    assert "The selected uses changed since the preview: nothing was changed." in response.text
    assert response.context["plan"].unchanged == 1  # the preview again, as the uses are now
    assert AIUse.objects.filter(disclosure_method=DisclosureMethod.END_CREDITS).count() == 1
    assert apply(client, production, response).status_code == 302
    assert AIUse.objects.filter(disclosure_method=DisclosureMethod.END_CREDITS).count() == 3


def test_with_htmx_the_preview_again_replaces_the_panel(client, producer, production, ledger):
    client.force_login(producer)
    first = preview(client, production, ledger, htmx=True, field="is_final", is_final="false")
    services.update_ai_use(actor=producer, ai_use=fresh(ledger[0]), title="Renamed meanwhile")

    response = apply(client, production, first, htmx=True)

    assert response.status_code == 409
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#bulk-preview", "innerHTML")
    assert "The selected uses changed since the preview" in response.text
    assert "<html" not in response.text


def test_a_use_matching_the_filter_since_the_preview_refuses_the_apply(client, producer, production, ledger):
    client.force_login(producer)
    first = preview(client, production, scope="matching", field="is_final", is_final="false")
    AIUseFactory(production=production, title="Recorded meanwhile")

    response = apply(client, production, first)

    assert response.status_code == 409
    assert AIUse.objects.filter(is_final=True).count() == 3


def test_the_service_refuses_versions_that_moved(producer, production, ledger):
    versions = {ai_use.pk: ai_use.version for ai_use in ledger}
    services.update_ai_use(actor=producer, ai_use=fresh(ledger[0]), title="Renamed meanwhile")

    with pytest.raises(Conflict):
        services.bulk_update_ai_uses(
            actor=producer, production=production, ai_uses=ledger, changes={"is_final": False}, versions=versions
        )

    assert AIUse.objects.filter(is_final=True).count() == 2


def test_a_preview_tampered_with_is_refused(client, producer, production, ledger):
    client.force_login(producer)
    data = apply_data(preview(client, production, ledger, field="is_final", is_final="false"))
    data["versions"] = ["[[1, 1]]"]

    response = client.post(url("ai-use-bulk-apply", production), data)

    assert response.status_code == 400
    assert "This preview cannot be read any more: preview the change again." in response.text
    assert AIUse.objects.filter(is_final=True).count() == 2


# Select all matching the filter


def test_select_all_matching_is_offered_with_the_count_as_the_language_writes_it(client, producer, production):
    AIUse.objects.bulk_create(_uses(production, 1234))
    client.force_login(producer)

    english = client.get(reverse("productions:ledger", args=[production.pk])).text
    french = client.get(reverse("productions:ledger", args=[production.pk]), headers={"Accept-Language": "fr"}).text

    assert "All 50 uses on this page are selected." in english
    assert "Select all 1,234 uses matching this filter" in english
    assert "1\xa0234" in french


def test_select_all_matching_is_not_offered_when_one_page_shows_every_use(client, producer, production, ledger):
    client.force_login(producer)

    response = client.get(reverse("productions:ledger", args=[production.pk]))

    assert 'id="select-matching"' not in response.text


def test_select_all_matching_changes_every_use_the_filter_finds_across_pages(client, producer, production):
    AIUse.objects.bulk_create(_uses(production, 60))
    elsewhere = AIUseFactory(production=production, phase=Phase.MARKETING, department=Department.MARKETING)
    client.force_login(producer)

    response = preview(client, production, scope="matching", filters="phase=vfx", field="is_final", is_final="false")

    assert "60 uses match the ledger's filters" in response.text
    assert "Apply to 60 uses" in response.text
    apply(client, production, response)
    assert AIUse.objects.filter(is_final=False).count() == 60
    assert fresh(elsewhere).is_final is True


def test_select_all_matching_refuses_filters_that_are_not_valid(client, producer, production, ledger):
    client.force_login(producer)

    response = preview(
        client, production, scope="matching", filters="phase=nowhere", field="is_final", is_final="false"
    )

    assert response.status_code == 400
    assert "filters are not valid: correct them, then select again." in response.text


# Without script and with htmx


def test_with_htmx_the_preview_opens_above_the_table_and_applying_renders_the_table(
    client, producer, production, ledger
):
    client.force_login(producer)

    response = preview(client, production, ledger, htmx=True, field="phase", phase=Phase.POST_PICTURE)

    assert "<html" not in response.text
    assert response["HX-Retarget"] == "#bulk-preview"
    assert 'hx-post="' + url("ai-use-bulk-apply", production) in response.text
    applied = apply(client, production, response, htmx=True)
    assert applied.status_code == 200
    assert applied.text.lstrip().startswith('<div id="ledger-results">')
    assert "3 uses changed: Phase: Post-production (picture)." in applied.text
    assert '<div id="bulk-preview" hx-swap-oob="innerHTML"></div>' in applied.text
    assert "HX-Retarget" not in applied


def test_with_htmx_a_missing_selection_is_said_in_the_panel(client, producer, production, ledger):
    client.force_login(producer)

    response = preview(client, production, [], htmx=True, field="phase", phase=Phase.VFX)

    assert response.status_code == 400
    assert "Select at least one AI use." in response.text
    assert "<html" not in response.text


def test_the_history_says_bulk_edit_and_what_changed(client, producer, production, ledger):
    client.force_login(producer)
    preview_and_apply(client, production, ledger[:1], field="phase", phase=Phase.POST_PICTURE)

    response = client.get(reverse("productions:ai-use-history", args=[production.pk, ledger[0].pk]))

    assert "Bulk edit: Phase" in response.text


# Who may


def test_only_roles_that_edit_records_get_boxes_and_the_bar(client, producer, viewer, production, ledger):
    client.force_login(viewer)
    read_only = client.get(reverse("productions:ledger", args=[production.pk])).text
    client.force_login(producer)
    editable = client.get(reverse("productions:ledger", args=[production.pk])).text

    assert 'id="bulk-form"' not in read_only and 'name="uses"' not in read_only
    assert 'id="bulk-form"' in editable and 'name="uses"' in editable


@pytest.mark.parametrize("role", ["legal", "viewer"])
def test_legal_and_viewers_may_not_preview_or_apply(request, client, producer, production, ledger, role):
    client.force_login(producer)
    data = apply_data(preview(client, production, ledger, field="is_final", is_final="false"))
    client.force_login(request.getfixturevalue(role))

    assert preview(client, production, ledger, field="is_final", is_final="false").status_code == 403
    assert client.post(url("ai-use-bulk-apply", production), data).status_code == 403
    assert client.get(url("ai-use-bulk-value", production), {"field": "phase"}).status_code == 403
    assert AIUse.objects.filter(is_final=True).count() == 2


def test_an_outsider_finds_no_production(client, producer, outsider, production, ledger):
    client.force_login(producer)
    data = apply_data(preview(client, production, ledger, field="is_final", is_final="false"))
    client.force_login(outsider)

    assert preview(client, production, ledger, field="is_final", is_final="false").status_code == 404
    assert client.post(url("ai-use-bulk-apply", production), data).status_code == 404
    assert client.get(url("ai-use-bulk-value", production), {"field": "phase"}).status_code == 404
    assert AIUse.objects.filter(is_final=True).count() == 2


def test_a_use_of_another_production_in_the_post_changes_nothing(client, producer, production, ledger, outsider):
    foreign = AIUseFactory(production=outsider.memberships.get().production, is_final=True)
    client.force_login(producer)

    response = preview(client, production, [ledger[0], foreign], field="is_final", is_final="false")
    data = apply_data(preview(client, production, ledger[:1], field="is_final", is_final="false"))
    data["uses"].append(foreign.pk)
    applied = client.post(url("ai-use-bulk-apply", production), data)

    assert response.status_code == applied.status_code == 400
    assert f"AI use {foreign.pk} is not part of this production: nothing was changed." in applied.text
    assert AIUse.objects.filter(is_final=True).count() == 3


def test_the_service_refuses_a_use_of_another_production(producer, production, ledger):
    foreign = AIUseFactory(production=ProductionFactory(), is_final=True)

    with pytest.raises(ValidationError, match="is not part of this production"):
        services.bulk_update_ai_uses(
            actor=producer, production=production, ai_uses=[ledger[0], foreign], changes={"is_final": False}
        )

    assert AIUse.objects.filter(is_final=True).count() == 3


# At production size


def _uses(production, count, **facts):
    uses = [
        AIUse(
            production=production,
            phase=Phase.VFX,
            department=Department.VFX,
            title=f"Shot {number}",
            external_id=f"SQ{number // 100:03d}_SH{number % 100:04d}",
            output_type=OutputType.VIDEO,
            digital_source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
            is_final=True,
            **facts,
        )
        for number in range(count)
    ]
    for ai_use in uses:
        ai_use.derive_keys(production.id_pattern)
    return uses


def _queries(callable_):
    with CaptureQueriesContext(connection) as captured:
        response = callable_()
    return response, len(captured)


# Session, user, production and role; the person or tool chosen; the uses; for a link, the uses' links and the
# names the sample shows. The same whatever the number of uses.
PREVIEW_QUERIES = 8
# The same, in a transaction, and the blocks refreshed once (the statuses' queries and the blocks' own, and the
# kept statuses marked stale: the productions, their snapshots).
APPLY_QUERIES_FIXED = 14
# Per batch of BATCH_SIZE uses: the fields updated, the history entries copied from the rows, each relation's
# links copied into them, and the links added (SQLite takes 499 of them per statement: two statements).
APPLY_QUERIES_PER_BATCH = 6


def apply_bound(count):
    return APPLY_QUERIES_FIXED + APPLY_QUERIES_PER_BATCH * math.ceil(count / BATCH_SIZE)


@pytest.mark.parametrize("count", [50, 5000])
@pytest.mark.parametrize(
    ("field", "value"),
    [("is_final", "false"), ("add_people", None), ("tool", None)],
)
def test_a_bulk_edit_of_every_matching_use_costs_queries_by_batch_not_by_use(
    client, producer, production, django_assert_max_num_queries, count, field, value
):
    person = PersonFactory(production=production)
    tool = AIToolFactory()
    AIUse.objects.bulk_create(_uses(production, count), batch_size=1000)
    value = {"add_people": person.pk, "tool": tool.pk}.get(field, value)
    client.force_login(producer)
    value_name = "person" if field == "add_people" else field
    data = {"scope": "matching", "filters": "phase=vfx", "field": field, value_name: value}

    with django_assert_max_num_queries(PREVIEW_QUERIES):
        response = client.post(url("ai-use-bulk", production), data)
    assert response.context["plan"].selected == count
    with django_assert_max_num_queries(apply_bound(count)):
        applied = client.post(url("ai-use-bulk-apply", production), apply_data(response))

    assert applied.status_code == 302
    assert AIUse.objects.filter(version=2).count() == count
    assert AIUse.history.filter(history_change_reason=f"bulk edit: {field}").count() == count
