"""Finding uses in the ledger: search over every field a producer names a use by, natural sort of titles and
tracker ids, episodes and sequences read from tracker ids (filters, groups, the production's pattern)."""

import math
import re

import pytest
from django.db import connection
from django.urls import reverse

from productions import services
from productions.models import AIUse
from productions.vocabularies import DigitalSourceType, OutputType, Phase, ProductionKind
from tests.factories import AIToolFactory, AIUseFactory, PersonFactory, ProductionFactory
from tests.productions.test_views_ledger import LEDGER_QUERIES, ledger_url, titles


@pytest.fixture
def series(production):
    production.kind = ProductionKind.SERIES
    production.save()
    return production


def use(production, title, external_id="", **fields):
    return AIUseFactory(production=production, title=title, external_id=external_id, **fields)


def many_uses(production, ids, title="Shot {index}"):
    """Uses with these tracker ids, inserted at once with their derived keys, as an import would."""
    uses = [
        AIUse(
            production=production,
            phase=Phase.VFX,
            department="vfx",
            title=title.format(index=index, external_id=external_id),
            external_id=external_id,
            output_type=OutputType.VIDEO,
            digital_source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        )
        for index, external_id in enumerate(ids)
    ]
    for ai_use in uses:
        ai_use.derive_keys(production.id_pattern)
    return AIUse.objects.bulk_create(uses)


def group_headers(response):
    """(level, name, count text) of each group header row, in page order."""
    return [
        (int(level), name, " ".join(count.split()))
        for level, name, count in re.findall(
            r'<tr class="group-header group-level-(\d)">\s*<th[^>]*>\s*<span class="group-name">([^<]*)</span>\s*'
            r'<span class="group-count">([^<]*)</span>',
            response.text,
        )
    ]


def options(response, name):
    field = response.context["filterset"].form[name]
    return [label for _value, label in field.field.choices][1:]  # after "Any"


def suggested(client, production, name):
    """The labels of the options the ledger's episode (or sequence) filter suggests once focused."""
    response = client.get(reverse("productions:ledger-parts", args=[production.pk, name]))
    assert response.status_code == 200
    return [label for _value, label in re.findall(r'<option value="([^"]*)">([^<]*)</option>', response.text)]


# Search


@pytest.fixture
def searchable(production):
    darin = PersonFactory(production=production, name="Ricardo Darín")
    collapse = use(
        production,
        "Building collapse",
        "EP203_SQ020_SH0030",
        description="Generated video blended with the street plate.",
        shots="Reel 3, shots 12 to 18",
        tool=AIToolFactory(vendor="Runway", product="Gen-3 Alpha", model_name="gen3a"),
    )
    de_ageing = use(
        production,
        "De-ageing in the flashback",
        "EP103_FLASH_010",
        tool=AIToolFactory(vendor="Metaphysic", product="Live", model_name="neural-face"),
        people=[darin],
    )
    return collapse, de_ageing


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("collapse", ["Building collapse"]),  # title
        ("STREET plate", ["Building collapse"]),  # description, any case, every word
        ("shots 12", ["Building collapse"]),  # shots
        ("EP103_FLASH", ["De-ageing in the flashback"]),  # tracker id as written
        ("ep203/sq020", ["Building collapse"]),  # tracker id with other separators and case
        ("ep203 sq020-sh0030", ["Building collapse"]),
        ("darín", ["De-ageing in the flashback"]),  # a person depicted
        ("runway", ["Building collapse"]),  # the tool's vendor
        ("alpha", ["Building collapse"]),  # product
        ("neural-face", ["De-ageing in the flashback"]),  # model
        ("runway flashback", []),  # every word must match the same use
    ],
)
def test_search_looks_in_every_field_a_use_is_known_by(client, viewer, searchable, words, found):
    client.force_login(viewer)

    response = client.get(ledger_url(searchable[0].production), {"q": words})

    assert titles(response) == found


def test_a_use_found_through_two_people_is_listed_once(client, viewer, production):
    people = [PersonFactory(production=production, name=name) for name in ("Ana Pérez", "Ana Torres")]
    use(production, "Crowd extension", people=people)
    use(production, "Sky replacement")
    client.force_login(viewer)

    response = client.get(ledger_url(production), {"q": "ana"})

    assert titles(response) == ["Crowd extension"]
    assert "1 AI use" in response.text


def test_search_finds_nothing_of_another_production(client, viewer, production, searchable):
    elsewhere = ProductionFactory()
    use(elsewhere, "Building collapse elsewhere", people=[PersonFactory(production=elsewhere, name="Ricardo Darín")])
    client.force_login(viewer)

    assert titles(client.get(ledger_url(production), {"q": "darín"})) == ["De-ageing in the flashback"]
    assert titles(client.get(ledger_url(production), {"q": "elsewhere"})) == []


# Natural sort


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["shot 9", "Shot 10", "shot 14", "shot 138"]),
        ("-title", ["shot 138", "shot 14", "Shot 10", "shot 9"]),
        ("external_id", ["shot 9", "Shot 10", "shot 14", "shot 138"]),
        ("-external_id", ["shot 138", "shot 14", "Shot 10", "shot 9"]),
    ],
)
def test_titles_and_tracker_ids_sort_in_natural_order(client, viewer, production, sort, expected):
    for title, external_id in [("shot 138", "SH138"), ("shot 14", "sh14"), ("shot 9", "SH9"), ("Shot 10", "SH10")]:
        use(production, title, external_id)
    client.force_login(viewer)

    assert titles(client.get(ledger_url(production, sort=sort))) == expected


def test_within_a_phase_titles_sort_naturally(client, viewer, production):
    for title in ("Matte 12", "Matte 2", "Matte 1"):
        use(production, title)
    client.force_login(viewer)

    assert titles(client.get(ledger_url(production))) == ["Matte 1", "Matte 2", "Matte 12"]


# Episodes and sequences


@pytest.fixture
def episodes(series):
    for title, external_id in [
        ("Collapse wide", "EP101_SQ010_SH0010"),
        ("Collapse close", "EP101_SQ010_SH0020"),
        ("Rooftop", "EP101_SQ020_SH0010"),
        ("Snowfall", "EP9_SQ010_SH0010"),
        ("Harbour", "EP102_SQ010_SH0010"),
        ("Storyboards", ""),
    ]:
        use(series, title, external_id)
    return series


def test_episodes_and_sequences_are_offered_in_natural_order(client, viewer, episodes):
    client.force_login(viewer)

    assert suggested(client, episodes, "episode") == ["EP9", "EP101", "EP102", "No episode"]
    assert suggested(client, episodes, "sequence") == ["SQ010", "SQ020", "No sequence"]


def test_the_episode_and_sequence_suggestions_are_fetched_when_their_field_is_focused(client, viewer, episodes):
    client.force_login(viewer)

    page = client.get(ledger_url(episodes, sequence="SQ010")).text

    # Not in the page: a feature's thousand sequences would be written into every page of the ledger.
    assert "SQ020" not in page
    field = re.search(r'<input type="text" name="sequence"[^>]*>', page).group(0)
    assert 'value="SQ010"' in field
    assert 'list="id_sequence-options"' in field
    assert f'hx-get="{reverse("productions:ledger-parts", args=[episodes.pk, "sequence"])}"' in field
    assert 'hx-trigger="focus once"' in field
    assert '<datalist id="id_sequence-options"></datalist>' in page


def test_the_suggestions_are_for_members_and_for_episodes_or_sequences_only(client, viewer, outsider, episodes):
    client.force_login(viewer)
    assert client.get(reverse("productions:ledger-parts", args=[episodes.pk, "department"])).status_code == 404

    client.force_login(outsider)
    response = client.get(reverse("productions:ledger-parts", args=[episodes.pk, "episode"]))

    assert response.status_code in (403, 404)
    assert "EP101" not in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"episode": "EP101"}, ["Collapse close", "Collapse wide", "Rooftop"]),
        ({"episode": "EP101", "sequence": "SQ010"}, ["Collapse close", "Collapse wide"]),
        ({"sequence": "SQ010"}, ["Collapse close", "Collapse wide", "Harbour", "Snowfall"]),
        ({"episode": "none"}, ["Storyboards"]),
        # Typed as the API takes them: any case, spaces around; "none" for the uses whose ids name none.
        ({"episode": " ep101 ", "sequence": "sq010"}, ["Collapse close", "Collapse wide"]),
        ({"episode": "None"}, ["Storyboards"]),
        # No use is in an episode nobody recorded: none is shown, rather than every use.
        ({"episode": "EP404"}, []),
    ],
)
def test_the_episode_and_sequence_filters_narrow_the_ledger(client, viewer, episodes, query, expected):
    client.force_login(viewer)

    response = client.get(ledger_url(episodes, sort="title", **query))

    assert titles(response) == expected


def test_grouped_by_episode_each_group_says_its_name_and_count(client, viewer, episodes):
    client.force_login(viewer)

    response = client.get(ledger_url(episodes, group="episode", sort="-title"))

    assert group_headers(response) == [
        (1, "EP9", "1 use"),
        (1, "EP101", "3 uses"),
        (1, "EP102", "1 use"),
        (1, "No episode", "1 use"),
    ]
    # Groups first, then the sort chosen within each.
    assert titles(response) == ["Snowfall", "Rooftop", "Collapse wide", "Collapse close", "Harbour", "Storyboards"]


def test_grouped_by_episode_and_sequence_sequences_sit_under_their_episode(client, viewer, episodes):
    client.force_login(viewer)

    response = client.get(ledger_url(episodes, group="sequence", sort="title"))

    assert group_headers(response) == [
        (1, "EP9", "1 use"),
        (2, "SQ010", "1 use"),
        (1, "EP101", "3 uses"),
        (2, "SQ010", "2 uses"),
        (2, "SQ020", "1 use"),
        (1, "EP102", "1 use"),
        (2, "SQ010", "1 use"),
        (1, "No episode", "1 use"),
        (2, "No sequence", "1 use"),
    ]
    assert titles(response) == ["Snowfall", "Collapse close", "Collapse wide", "Rooftop", "Harbour", "Storyboards"]


def test_group_counts_cover_every_page_and_a_group_carried_over_says_so(client, viewer, series):
    many_uses(series, [f"EP1_SQ{sequence:03d}_SH{shot:04d}" for sequence in (10, 20) for shot in range(40)])
    many_uses(series, [f"EP2_SQ010_SH{shot:04d}" for shot in range(30)])
    client.force_login(viewer)

    first = client.get(ledger_url(series, group="sequence", sort="external_id"))
    second = client.get(ledger_url(series, group="sequence", sort="external_id", page=2))

    assert group_headers(first) == [(1, "EP1", "80 uses"), (2, "SQ010", "40 uses"), (2, "SQ020", "40 uses")]
    assert "continued" not in first.text
    assert group_headers(second) == [
        (1, "EP1", "80 uses · continued from the previous page"),
        (2, "SQ020", "40 uses · continued from the previous page"),
        (1, "EP2", "30 uses"),
        (2, "SQ010", "30 uses"),
    ]
    assert [ai_use.external_id for ai_use in second.context["uses"]][:2] == ["EP1_SQ020_SH0010", "EP1_SQ020_SH0011"]


def test_groups_count_only_what_the_filters_keep(client, viewer, episodes):
    client.force_login(viewer)

    response = client.get(ledger_url(episodes, group="episode", sequence="SQ010"))

    assert group_headers(response) == [(1, "EP9", "1 use"), (1, "EP101", "2 uses"), (1, "EP102", "1 use")]


def test_a_film_has_sequences_but_no_episodes(client, viewer, production):
    use(production, "Collapse", "SQ010_SH0010")
    use(production, "Rooftop", "SQ2_SH0010")
    client.force_login(viewer)

    response = client.get(ledger_url(production, group="sequence"))

    assert "episode" not in response.context["filterset"].form.fields
    assert suggested(client, production, "sequence") == ["SQ2", "SQ010"]
    assert options(response, "group") == ["Sequence"]
    assert group_headers(response) == [(1, "SQ2", "1 use"), (1, "SQ010", "1 use")]


def test_an_unknown_grouping_is_ignored(client, viewer, episodes):
    client.force_login(viewer)

    response = client.get(ledger_url(episodes, group="department"))

    assert response.status_code == 200
    assert group_headers(response) == []


@pytest.mark.parametrize("count", [20, 300])
def test_grouping_costs_one_query_whatever_the_number_of_groups(
    client, producer, series, django_assert_max_num_queries, count
):
    # A sequence per ten uses: 2 to 30 groups.
    many_uses(series, [f"EP{index % 3}_SQ{index // 10:03d}_SH{index:04d}" for index in range(count)])
    client.force_login(producer)

    with django_assert_max_num_queries(LEDGER_QUERIES + 2):  # the episodes and sequences in order, the groups' counts
        response = client.get(ledger_url(series, group="sequence", sequence=f"SQ{1:03d}"))

    assert response.status_code == 200
    assert group_headers(response)


# The production's tracker id pattern


def test_a_new_pattern_reads_every_episode_and_sequence_again_without_touching_the_uses(producer, series):
    rooftop = use(series, "Rooftop", "S02-E05-SQ010-SH0010")
    assert (rooftop.episode, rooftop.sequence) == ("S02", "E05")

    services.update_production(actor=producer, production=series, tracker_id_pattern="S02-{episode}-{sequence}-{shot}")

    rooftop.refresh_from_db()
    assert (rooftop.episode, rooftop.sequence) == ("E05", "SQ010")
    assert rooftop.version == 1
    assert rooftop.history.count() == 1  # created, nothing since
    assert series.history.first().tracker_id_pattern == "S02-{episode}-{sequence}-{shot}"


def test_a_film_becoming_a_series_reads_its_episodes(producer, production):
    rooftop = use(production, "Rooftop", "EP1_SQ010_SH0010")
    assert (rooftop.episode, rooftop.sequence) == ("", "EP1")

    services.update_production(actor=producer, production=production, kind=ProductionKind.SERIES)

    rooftop.refresh_from_db()
    assert (rooftop.episode, rooftop.sequence) == ("EP1", "SQ010")


@pytest.mark.parametrize("count", [20, 1200])
def test_reading_the_episodes_again_costs_a_query_per_batch(producer, series, django_assert_max_num_queries, count):
    many_uses(series, [f"X_EP{index}_SQ{index % 7}_SH{index}" for index in range(count)])
    # Django makes batches smaller where the database takes fewer parameters in a query (SQLite: 999).
    fields, batch = ["pk", "pk", "episode", "sequence"], [None] * services.EPISODES_BATCH
    per_batch = min(services.EPISODES_BATCH, connection.ops.bulk_batch_size(fields, batch))
    batches = math.ceil(count / per_batch)

    # The transaction, role, stored pattern, the production's checks, update and history entry, the uses read; then
    # an UPDATE per batch.
    with django_assert_max_num_queries(14 + batches):
        services.update_production(
            actor=producer, production=series, tracker_id_pattern="X_{episode}_{sequence}_{shot}"
        )

    assert AIUse.objects.filter(production=series, episode="EP7", sequence="SQ0").count() == 1


def settings_form(client, production, **changes):
    """The production's settings form as it is filled in, with `changes`."""
    form = client.get(reverse("productions:production-edit", args=[production.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    return {**data, "countries": production.countries, **changes}


def test_the_producer_sets_the_pattern_in_the_settings(client, producer, series):
    rooftop = use(series, "Rooftop", "S02-E05-SQ010-SH0010")
    client.force_login(producer)

    response = client.post(
        reverse("productions:production-edit", args=[series.pk]),
        settings_form(client, series, tracker_id_pattern="S02-{episode}-{sequence}-{shot}"),
        follow=True,
    )

    assert "The episode and sequence of every use were read again from its tracker id, with S02-" in response.text
    rooftop.refresh_from_db()
    assert (rooftop.episode, rooftop.sequence) == ("E05", "SQ010")


def test_an_unknown_part_in_the_pattern_is_refused(client, producer, series):
    client.force_login(producer)

    response = client.post(
        reverse("productions:production-edit", args=[series.pk]),
        settings_form(client, series, tracker_id_pattern="{season}_{episode}"),
    )

    assert response.status_code == 200
    assert "Unknown part season" in response.text
    series.refresh_from_db()
    assert series.tracker_id_pattern == ""


def preview_url(production, **query):
    return reverse("productions:tracker-id-pattern-preview", args=[production.pk]), query


def test_the_settings_show_how_the_pattern_reads_the_productions_ids(client, producer, episodes):
    client.force_login(producer)

    response = client.get(reverse("productions:production-edit", args=[episodes.pk]))

    assert response.status_code == 200
    assert f'hx-get="{preview_url(episodes)[0]}"' in response.text
    assert "{episode}_{sequence}_{shot}</code>, your tracker ids read" in response.text
    assert '<th scope="row" class="tracker-id">EP101_SQ010_SH0010</th>' in response.text
    assert "reads all 5 of the production" in response.text


def test_the_preview_follows_the_pattern_as_it_is_typed(client, producer, episodes):
    use(episodes, "Previs", "PREVIS_003")
    client.force_login(producer)

    response = client.get(*preview_url(episodes, tracker_id_pattern="EP{episode}_SQ{sequence}_{shot}"))

    assert response.status_code == 200
    assert re.search(r"EP9_SQ010_SH0010</th>\s*<td>9</td>\s*<td>010</td>", response.text)
    assert "1 tracker id gives no episode or sequence with this pattern: PREVIS_003." in response.text


def test_the_preview_of_an_empty_pattern_uses_the_kind_chosen(client, producer, episodes):
    client.force_login(producer)

    response = client.get(*preview_url(episodes, tracker_id_pattern="", kind=ProductionKind.FEATURE))

    assert "default pattern for this kind of production, <code>{sequence}_{shot}</code>" in response.text
    assert '<th scope="col">Episode</th>' not in response.text


def test_the_preview_says_what_is_wrong_with_a_pattern(client, producer, episodes):
    client.force_login(producer)

    response = client.get(*preview_url(episodes, tracker_id_pattern="{episode}{sequence}"))

    assert "Put a separator or some text between two parts." in response.text


def test_the_preview_costs_the_same_queries_whatever_the_number_of_ids(
    client, producer, series, django_assert_max_num_queries
):
    many_uses(series, [f"EP{index % 9}_SQ{index % 13}_SH{index}" for index in range(500)])
    client.force_login(producer)

    with django_assert_max_num_queries(5):  # session, user, production and role, the ids
        response = client.get(*preview_url(series, tracker_id_pattern="{episode}_{sequence}_{shot}"))

    assert "reads all 500 of the production" in response.text


@pytest.mark.parametrize(("role", "status"), [("legal", 403), ("viewer", 403), ("outsider", 404)])
def test_only_producers_preview_patterns(request, client, episodes, role, status):
    client.force_login(request.getfixturevalue(role))

    assert client.get(*preview_url(episodes, tracker_id_pattern="{episode}_{shot}")).status_code == status
