"""The ledger edited in place: one cell saved through the services, a use added below another like it."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from productions import services
from productions.consent_status import ConsentStatus, consent_status
from productions.models import AIUse
from productions.vocabularies import (
    ConsentKind,
    DeepFake,
    Department,
    DigitalSourceType,
    DisclosureMethod,
    InputRights,
    OutputType,
    PerformerUse,
    Phase,
    PublishedIn,
    ReviewState,
    Role,
)
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.productions.test_views_ledger import LEDGER_QUERIES, bulk_ledger


class _CellNames(HTMLParser):
    """The names of the cells' buttons, as a screen reader reads them: visually hidden text in, aria-hidden out."""

    def __init__(self):
        super().__init__()
        self.names, self._hidden, self._text = [], None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "button" and "grid-edit" in attrs.get("class", ""):
            self._hidden, self._text = [False], []
        elif self._hidden is not None:
            self._hidden.append(self._hidden[-1] or attrs.get("aria-hidden") == "true")

    def handle_endtag(self, tag):
        if self._hidden is None:
            return
        self._hidden.pop()
        if not self._hidden:
            self.names.append(" ".join("".join(self._text).split()))
            self._hidden = None

    def handle_data(self, data):
        if self._hidden and not self._hidden[-1]:
            self._text.append(data)


def cell_names(html):
    parser = _CellNames()
    parser.feed(html)
    return parser.names


def ledger_url(production):
    return reverse("productions:ledger", args=[production.pk])


def cell_url(ai_use):
    return reverse("productions:ai-use-cell", args=[ai_use.production_id, ai_use.pk])


def add_below_url(ai_use):
    return reverse("productions:ai-use-add-below", args=[ai_use.production_id, ai_use.pk])


def save_cell(client, ai_use, field, value, version=None):
    data = {"field": field, "value": value, "version": version or ai_use.version}
    return client.post(cell_url(ai_use), data, headers={"HX-Request": "true"})


@pytest.fixture
def shot(production):
    return AIUseFactory(
        production=production,
        title="Shot 12",
        external_id="EP101_SQ010_SH0120",
        phase=Phase.VFX,
        department=Department.VFX,
    )


def covered_face_replacement(production, **facts):
    """A face replacement resting on an approved consent that legal confirmed covers it: not blocked."""
    performer = PersonFactory(production=production, name="Ana Ruiz")
    consent = ConsentFactory(
        person=performer,
        kind=ConsentKind.DIGITAL_ALTERATION,
        review_state=ReviewState.APPROVED,
        reviewed_at=timezone.now(),
    )
    ai_use = AIUseFactory(
        production=production,
        title="Face replacement, shot 11",
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[performer],
        consents=[consent],
        **facts,
    )  # legal's coverage decision confirmed by the factory
    return ai_use, performer, consent


# What each role gets


def test_the_producer_gets_each_common_cell_as_a_control_named_by_its_column_and_use(client, producer, shot):
    client.force_login(producer)

    page = client.get(ledger_url(shot.production)).text

    names = cell_names(page)
    assert "Phase of “Shot 12”: Visual effects" in names
    assert "Tracker id of “Shot 12”: EP101_SQ010_SH0120" in names
    assert "Source type of “Shot 12”: Composite with generative AI elements" in names
    assert len(names) == 9  # and the title, a link named by itself
    assert 'data-label="Title of “Shot 12”"' in page
    assert 'aria-label="Add a use below, like “Shot 12”"' in page
    assert 'aria-keyshortcuts="Shift+Enter"' in page
    assert "<kbd>Shift</kbd>+<kbd>Enter</kbd> adds a use below" in page
    assert 'id="grid-options-phase"' in page
    # Without script the title still leads to the use, whose full form stays available.
    assert f'href="{reverse("productions:ai-use-detail", args=[shot.production_id, shot.pk])}"' in page


@pytest.mark.parametrize("role", ["viewer", "legal"])
def test_viewers_and_legal_read_the_table_without_editors(request, client, shot, role):
    client.force_login(request.getfixturevalue(role))

    page = client.get(ledger_url(shot.production)).text

    assert "Shot 12" in page
    assert "grid-edit" not in page
    assert "ledger-grid" not in page
    assert "Add a use below" not in page


@pytest.mark.parametrize("role", ["viewer", "legal"])
def test_viewers_and_legal_may_not_edit_cells_or_add_uses(request, client, shot, role):
    client.force_login(request.getfixturevalue(role))

    assert save_cell(client, shot, "phase", Phase.SOUND_MUSIC).status_code == 403
    assert client.post(add_below_url(shot)).status_code == 403
    assert client.get(reverse("productions:grid-tools", args=[shot.production_id])).status_code == 403
    shot.refresh_from_db()
    assert (shot.phase, shot.version, AIUse.objects.count()) == (Phase.VFX, 1, 1)


def test_an_outsider_finds_no_cells_to_edit(client, outsider, shot):
    client.force_login(outsider)

    assert save_cell(client, shot, "phase", Phase.SOUND_MUSIC).status_code == 404
    assert client.post(add_below_url(shot)).status_code == 404
    assert client.get(reverse("productions:grid-tools", args=[shot.production_id])).status_code == 404
    shot.refresh_from_db()
    assert shot.phase == Phase.VFX


def test_a_use_of_another_production_is_not_found_under_this_one(client, producer, production, outsider):
    elsewhere = AIUseFactory()
    client.force_login(producer)

    response = client.post(
        reverse("productions:ai-use-cell", args=[production.pk, elsewhere.pk]),
        {"field": "phase", "value": Phase.SOUND_MUSIC, "version": 1},
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.phase == Phase.VFX


def test_a_column_not_edited_in_place_is_refused(client, producer, shot):
    client.force_login(producer)

    response = save_cell(client, shot, "description", "Rewritten")

    assert response.status_code == 400
    shot.refresh_from_db()
    assert (shot.description, shot.version) == ("", 1)


# Saving a cell


def test_a_saved_cell_comes_back_in_its_row_with_the_new_version(client, producer, shot):
    client.force_login(producer)

    response = save_cell(client, shot, "phase", Phase.SOUND_MUSIC)

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<tr")
    assert "Phase of “Shot 12”: Sound and music" in cell_names(response.text)
    assert 'data-version="2"' in response.text
    shot.refresh_from_db()
    assert (shot.phase, shot.version) == (Phase.SOUND_MUSIC, 2)
    entry = shot.history.latest()
    assert entry.history_user == producer
    assert entry.phase == Phase.SOUND_MUSIC


@pytest.mark.parametrize(
    ("field", "value", "stored", "shown"),
    [
        ("title", "  Shot 12, sky  ", "Shot 12, sky", 'data-label="Title of “Shot 12, sky”"'),
        ("external_id", "EP101_SQ010_SH0130", "EP101_SQ010_SH0130", "Tracker id of “Shot 12”: EP101_SQ010_SH0130"),
        ("external_id", "", "", "Tracker id of “Shot 12”: empty"),
        ("department", Department.ANIMATION, Department.ANIMATION, "Department of “Shot 12”: Animation"),
        ("output_type", OutputType.IMAGE, OutputType.IMAGE, "Output type of “Shot 12”: Image"),
        ("is_final", "false", False, "Final of “Shot 12”: Temporary"),
        ("deep_fake", DeepFake.NO, DeepFake.NO, "Deep fake of “Shot 12”: No"),
        (
            "disclosure_method",
            DisclosureMethod.OPENING_CARD,
            DisclosureMethod.OPENING_CARD,
            "Disclosure of “Shot 12”: Opening card",
        ),
        (
            "digital_source_type",
            DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
            DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
            "Source type of “Shot 12”: Trained algorithmic media (generative AI)",
        ),
    ],
)
def test_each_common_column_is_saved_in_place(client, producer, shot, field, value, stored, shown):
    client.force_login(producer)

    response = save_cell(client, shot, field, value)

    assert response.status_code == 200
    assert shown in response.text if shown.startswith("data-") else shown in cell_names(response.text)
    shot.refresh_from_db()
    assert getattr(shot, field) == stored


def test_the_tool_is_chosen_among_those_the_production_may_name(client, producer, shot):
    own = AIToolFactory(vendor="Studio", product="In-house matte painter", organisation=shot.production.organisation)
    foreign = AIToolFactory(vendor="Rival", product="Secret", organisation=OrganisationFactory())
    client.force_login(producer)

    options = client.get(reverse("productions:grid-tools", args=[shot.production_id])).text
    refused = save_cell(client, shot, "tool", foreign.pk)
    saved = save_cell(client, shot, "tool", own.pk, version=1)

    assert "In-house matte painter" in options
    assert "Secret" not in options
    assert refused.status_code == 400
    assert "Select a valid choice." in refused.text
    assert saved.status_code == 200
    shot.refresh_from_db()
    assert shot.tool == own
    assert save_cell(client, shot, "tool", "").status_code == 200
    shot.refresh_from_db()
    assert shot.tool is None


def test_a_change_to_the_use_facts_shows_its_new_consent_status_and_block(client, producer, production):
    ai_use, _, _ = covered_face_replacement(production)
    client.force_login(producer)
    before = client.get(ledger_url(production)).text

    response = save_cell(client, ai_use, "is_final", "false")

    assert "Covered" in before
    assert response.status_code == 200
    # Legal confirmed the consent covers the use as it was: changed, it is theirs to confirm again.
    assert "Scope to confirm" in response.text
    assert 'class="row-blocked"' in response.text


# Refusals


@pytest.mark.parametrize("typed", ["EP101_SQ010_SH0130", "ep101/sq010/sh0130"])
def test_a_tracker_id_another_use_has_is_refused_in_the_cell_naming_that_use(client, producer, shot, typed):
    other = AIUseFactory(production=shot.production, title="Shot 13", external_id="EP101_SQ010_SH0130")
    client.force_login(producer)

    response = save_cell(client, shot, "external_id", typed)

    assert response.status_code == 400
    error_id = f"cell-{shot.pk}-external_id-error"
    assert 'aria-invalid="true"' in response.text
    assert f'aria-describedby="{error_id}"' in response.text
    assert f'<p class="cell-error" id="{error_id}">“Shot 13” already has this tracker id, as EP101_SQ010_SH0130.' in (
        response.text
    )
    # The editor keeps what was typed, labelled as the cell is.
    assert f'value="{typed}"' in response.text
    assert "Constraint" not in response.text  # the database's words for it say less
    assert 'aria-label="Tracker id of “Shot 12”"' in response.text
    shot.refresh_from_db()
    assert (shot.external_id, shot.version) == ("EP101_SQ010_SH0120", 1)
    assert other.external_id == "EP101_SQ010_SH0130"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "This field is required."),
        ("phase", "time_travel", "Select a valid choice."),
        ("title", "x" * 201, "Ensure this value has at most 200 characters"),
    ],
)
def test_a_value_the_form_refuses_comes_back_in_the_cell(client, producer, shot, field, value, message):
    client.force_login(producer)

    response = save_cell(client, shot, field, value)

    assert response.status_code == 400
    assert f'<p class="cell-error" id="cell-{shot.pk}-{field}-error">{message}' in response.text
    shot.refresh_from_db()
    assert shot.version == 1


def test_a_rule_of_the_whole_use_is_shown_in_the_cell_that_breaks_it(client, producer, shot):
    shot.deep_fake = DeepFake.YES
    shot.save()
    client.force_login(producer)

    response = save_cell(client, shot, "output_type", OutputType.TEXT)

    assert response.status_code == 400
    assert "Only image, video or audio content can be a deep fake." in response.text
    assert f'id="cell-{shot.pk}-output_type-error"' in response.text
    shot.refresh_from_db()
    assert shot.output_type == OutputType.VIDEO


def test_an_edit_made_on_an_older_version_says_who_changed_the_use_and_shows_its_value(client, producer, shot):
    colleague = MembershipFactory(
        production=shot.production, user=UserFactory(username="pablo", first_name="Pablo"), role=Role.PRODUCER
    ).user
    services.update_ai_use(actor=colleague, ai_use=shot, version=1, phase=Phase.POST_PICTURE)
    client.force_login(producer)

    response = save_cell(client, shot, "phase", Phase.SOUND_MUSIC, version=1)

    assert response.status_code == 409
    assert "Phase of “Shot 12”: Post-production (picture)" in cell_names(response.text)
    assert "Pablo changed this use at" in response.text
    assert "Your change was not saved." in response.text
    assert f'aria-describedby="cell-{shot.pk}-phase-note"' in response.text
    assert 'data-version="2"' in response.text
    shot.refresh_from_db()
    assert (shot.phase, shot.version) == (Phase.POST_PICTURE, 2)


def test_an_edit_without_its_version_is_refused(client, producer, shot):
    client.force_login(producer)

    response = client.post(cell_url(shot), {"field": "phase", "value": Phase.SOUND_MUSIC})

    assert response.status_code == 400
    shot.refresh_from_db()
    assert shot.phase == Phase.VFX


# Adding a use below


def test_a_use_added_below_copies_the_facts_of_its_series_and_not_what_names_one_use(client, producer, production):
    original, performer, consent = covered_face_replacement(
        production,
        external_id="EP101_SQ010_SH0110",
        description="Her face on the stunt double.",
        shots="Episode 1, sequence 010, shot 110",
        timecode_in="00:10:00:00",
        timecode_out="00:10:04:12",
        frame_in=100,
        frame_out=212,
        used_from=datetime.date(2026, 5, 4),
        used_until=datetime.date(2026, 5, 6),
        is_final=False,
        deep_fake=DeepFake.YES,
        disclosure_method=DisclosureMethod.END_CREDITS,
        published_in=[PublishedIn.TRAILER],
        inputs_rights=InputRights.LICENSED,
        biometric_data=True,
        human_contribution="The VFX supervisor selected and retouched every frame.",
        digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
    )
    client.force_login(producer)

    response = client.post(add_below_url(original), headers={"HX-Request": "true"})

    assert response.status_code == 201
    copy = AIUse.objects.exclude(pk=original.pk).get()
    assert f'id="use-row-{copy.pk}"' in response.text
    assert 'data-label="Title of “Face replacement, shot 11 (copy)”"' in response.text
    for name in services.AI_USE_SERIES_FIELDS:
        assert getattr(copy, name) == getattr(original, name), name
    assert list(copy.people.all()) == [performer]
    assert list(copy.consents.all()) == [consent]
    assert copy.title == "Face replacement, shot 11 (copy)"
    assert (copy.external_id, copy.description, copy.shots, copy.timecode_in, copy.timecode_out) == ("",) * 5
    assert (copy.frame_in, copy.frame_out, copy.used_from, copy.used_until) == (None,) * 4
    # Legal confirmed the consent covers the original: the copy is a new use, for legal to confirm.
    assert consent_status(AIUse.objects.get(pk=copy.pk)) == ConsentStatus.SCOPE_TO_CONFIRM
    assert not copy.coverage_decisions.exists()
    assert "Scope to confirm" in response.text
    assert copy.history.latest().history_user == producer


def test_without_script_the_use_added_below_opens_in_the_full_form(client, producer, shot):
    client.force_login(producer)

    response = client.post(add_below_url(shot))

    copy = AIUse.objects.get(title="Shot 12 (copy)")
    assert response.status_code == 302
    assert response.url == reverse("productions:ai-use-edit", args=[shot.production_id, copy.pk])
    assert "give it its own title and tracker id" in client.get(response.url).text


def test_a_long_title_stays_within_its_limit_once_marked_as_a_copy(client, producer, production):
    original = AIUseFactory(production=production, title="Very long shot name " * 10)
    client.force_login(producer)

    client.post(add_below_url(original), headers={"HX-Request": "true"})

    copy = AIUse.objects.exclude(pk=original.pk).get()
    assert len(copy.title) <= 200
    assert copy.title.endswith(" (copy)")


# The defects met on the way


def test_record_and_add_another_carries_every_fact_of_the_series(client, producer, production):
    ai_use, performer, consent = covered_face_replacement(
        production,
        output_type=OutputType.IMAGE,
        digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
        disclosure_method=DisclosureMethod.END_CREDITS,
    )
    client.force_login(producer)
    data = {
        "title": "Face replacement, shot 12",
        "phase": Phase.VFX,
        "department": Department.VFX,
        "output_type": OutputType.IMAGE,
        "digital_source_type": DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
        "is_final": "on",
        "tool": ai_use.tool_id,
        "performer_use": PerformerUse.DIGITAL_ALTERATION,
        "people": [performer.pk],
        "consents": [consent.pk],
        "deep_fake": DeepFake.NOT_DETERMINED,
        "disclosure_method": DisclosureMethod.END_CREDITS,
        "marking_kept_in_master": "unknown",
        "inputs_rights": "own_material",
        "emotion_recognition": "none",
        "save_and_add": "1",
    }

    response = client.post(reverse("productions:ai-use-create", args=[production.pk]), data)
    form = client.get(response.url).context["form"]

    assert form["output_type"].value() == OutputType.IMAGE
    assert form["digital_source_type"].value() == DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA
    assert form["disclosure_method"].value() == DisclosureMethod.END_CREDITS
    assert form["performer_use"].value() == PerformerUse.DIGITAL_ALTERATION
    assert [str(pk) for pk in form["people"].value()] == [str(performer.pk)]
    assert [str(pk) for pk in form["consents"].value()] == [str(consent.pk)]
    assert not form["title"].value()
    assert not form["external_id"].value()


def test_the_next_of_a_series_is_only_like_a_use_the_producer_may_see(client, producer, production):
    elsewhere = AIUseFactory(title="Someone else's shot")
    client.force_login(producer)

    response = client.get(reverse("productions:ai-use-create", args=[production.pk]) + f"?like={elsewhere.pk}")

    assert response.status_code == 404


def test_a_use_page_links_to_its_history(client, viewer, shot):
    client.force_login(viewer)

    page = client.get(reverse("productions:ai-use-detail", args=[shot.production_id, shot.pk])).text

    assert f'href="{reverse("productions:ai-use-history", args=[shot.production_id, shot.pk])}"' in page


# Bounded queries

# Session, user, production and role, and the use; then the service: role check, lock, validation (a savepoint per
# constraint), links, write, history with its links, the kept statuses marked stale (2) and the blocks; then the row
# read again with its consent status.
SAVED_CELL_QUERIES = 62
# A value the form refuses never reaches the service.
REFUSED_CELL_QUERIES = 10
# The same, creating, with the original's links copied.
ADDED_BELOW_QUERIES = 70


@pytest.mark.parametrize("count", [1, 40])
def test_a_cell_costs_the_same_queries_whatever_the_size_of_the_ledger(
    client, producer, production, django_assert_max_num_queries, count
):
    bulk_ledger(production, count)
    ai_use, _, _ = covered_face_replacement(production)
    client.force_login(producer)

    with django_assert_max_num_queries(SAVED_CELL_QUERIES):
        saved = save_cell(client, ai_use, "phase", Phase.POST_PICTURE)
    with django_assert_max_num_queries(REFUSED_CELL_QUERIES):
        refused = save_cell(client, ai_use, "title", "", version=2)
    with django_assert_max_num_queries(ADDED_BELOW_QUERIES):
        added = client.post(add_below_url(ai_use), headers={"HX-Request": "true"})

    assert (saved.status_code, refused.status_code, added.status_code) == (200, 400, 201)


@pytest.mark.parametrize("count", [20, 300])
def test_the_ledger_with_its_editors_costs_no_more_queries(
    client, producer, production, django_assert_max_num_queries, count
):
    bulk_ledger(production, count)
    client.force_login(producer)

    with django_assert_max_num_queries(LEDGER_QUERIES):
        response = client.get(ledger_url(production))

    assert response.text.count('class="grid-edit"') == 9 * min(count, 50)
