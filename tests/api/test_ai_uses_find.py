"""Finding AI uses through the API: search, natural ordering, episodes and sequences read from tracker ids."""

import pytest

from productions.vocabularies import ProductionKind
from tests.api.conftest import api
from tests.factories import AIToolFactory, AIUseFactory, PersonFactory


def uses_url(production, suffix=""):
    return api(f"productions/{production.pk}/ai-uses/{suffix}")


def titles(response):
    assert response.status_code == 200, response.content
    return [ai_use["title"] for ai_use in response.json()["results"]]


@pytest.fixture
def series(production):
    production.kind = ProductionKind.SERIES
    production.save()
    return production


@pytest.fixture
def uses(series):
    people = [PersonFactory(production=series, name=name) for name in ("Ana Pérez", "Ana Torres")]
    return [
        AIUseFactory(
            production=series,
            title="Crowd extension",
            external_id="EP203_SQ020_SH0030",
            people=people,
            tool=AIToolFactory(vendor="Runway", product="Gen-3 Alpha"),
        ),
        AIUseFactory(production=series, title="Sky replacement", external_id="EP203_SQ010_SH0010"),
        AIUseFactory(production=series, title="Snowfall", external_id="EP9_SQ010_SH0010"),
        AIUseFactory(production=series, title="Storyboards", external_id=""),
    ]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ep203/sq020", ["Crowd extension"]),  # the tracker id, any separators and case
        ("ana", ["Crowd extension"]),  # two people match: listed once
        ("runway", ["Crowd extension"]),  # the tool
        ("replacement", ["Sky replacement"]),
        ("sq010", ["Sky replacement", "Snowfall"]),
    ],
)
def test_search_finds_uses_by_any_of_their_names(as_viewer, uses, search, expected):
    response = as_viewer.get(uses_url(uses[0].production), {"search": search, "ordering": "title"})

    assert titles(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"episode": "EP203"}, ["Crowd extension", "Sky replacement"]),
        ({"episode": "ep9"}, ["Snowfall"]),  # any case
        ({"sequence": "SQ010"}, ["Sky replacement", "Snowfall"]),
        ({"episode": "EP203", "sequence": "SQ010"}, ["Sky replacement"]),
    ],
)
def test_uses_are_filtered_by_episode_and_sequence(as_viewer, uses, query, expected):
    assert titles(as_viewer.get(uses_url(uses[0].production), {**query, "ordering": "title"})) == expected


def test_each_use_says_its_episode_and_sequence_which_are_not_written(as_producer, uses):
    crowd = uses[0]

    body = as_producer.get(uses_url(crowd.production, f"{crowd.pk}/")).json()
    changed = as_producer.patch(
        uses_url(crowd.production, f"{crowd.pk}/"), {"episode": "EP999", "version": body["version"]}
    )

    assert (body["episode"], body["sequence"]) == ("EP203", "SQ020")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["episode"], changed.json()["sequence"]) == ("EP203", "SQ020")


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["shot 9", "Shot 10", "shot 14", "shot 138"]),
        ("-title", ["shot 138", "shot 14", "Shot 10", "shot 9"]),
        ("external_id", ["shot 9", "Shot 10", "shot 14", "shot 138"]),
        ("-external_id", ["shot 138", "shot 14", "Shot 10", "shot 9"]),
        ("phase,-title", ["shot 138", "shot 14", "Shot 10", "shot 9"]),
    ],
)
def test_titles_and_tracker_ids_are_ordered_naturally(as_viewer, production, ordering, expected):
    for title, external_id in [("shot 138", "SH138"), ("shot 14", "sh14"), ("shot 9", "SH9"), ("Shot 10", "SH10")]:
        AIUseFactory(production=production, title=title, external_id=external_id)

    assert titles(as_viewer.get(uses_url(production), {"ordering": ordering})) == expected


def test_by_default_uses_come_by_phase_then_natural_title(as_viewer, production):
    for title in ("Matte 12", "Matte 2", "Matte 1"):
        AIUseFactory(production=production, title=title)

    assert titles(as_viewer.get(uses_url(production))) == ["Matte 1", "Matte 2", "Matte 12"]


def test_a_new_pattern_set_through_the_api_reads_the_episodes_again(as_producer, uses):
    snowfall = uses[2]
    production_url = api(f"productions/{snowfall.production_id}/")

    response = as_producer.patch(production_url, {"tracker_id_pattern": "EP{episode}_{sequence}_{shot}"})

    assert response.status_code == 200, response.content
    assert response.json()["tracker_id_pattern"] == "EP{episode}_{sequence}_{shot}"
    assert as_producer.get(uses_url(snowfall.production, f"{snowfall.pk}/")).json()["episode"] == "9"


def test_a_pattern_naming_unknown_parts_is_refused(as_producer, series):
    response = as_producer.patch(api(f"productions/{series.pk}/"), {"tracker_id_pattern": "{season}_{shot}"})

    assert response.status_code == 400
    assert "tracker_id_pattern" in response.json()["errors"]
