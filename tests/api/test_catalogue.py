"""The curated catalogue through the API: proposals, curators' decisions, private tools and their visibility."""

import pytest

from productions.models import AITool, ToolProposal
from productions.vocabularies import OutputMarking, ProposalStatus
from tests.api.conftest import api, assert_error, token_client
from tests.factories import AIToolFactory


@pytest.fixture
def firefly(db):
    return AIToolFactory(vendor="Adobe", product="Firefly", output_marking=OutputMarking.NONE)


def test_a_producer_proposes_and_a_curator_accepts(as_producer, curator, firefly):
    proposed = as_producer.post(
        api(f"tools/{firefly.pk}/proposals/"), {"changes": {"output_marking": "c2pa"}, "reason": "Model card"}
    )
    assert proposed.status_code == 201, proposed.content
    proposal = proposed.json()
    assert (proposal["status"], proposal["proposed_by"], proposal["tool"]) == ("pending", "paula", firefly.pk)
    firefly.refresh_from_db()
    assert firefly.output_marking == OutputMarking.NONE

    # The proposer sees their own proposal; only curators decide it.
    assert [p["id"] for p in as_producer.get(api("tool-proposals/")).json()["results"]] == [proposal["id"]]
    assert_error(as_producer.post(api(f"tool-proposals/{proposal['id']}/accept/")), 403, "permission_denied")

    as_curator = token_client(curator)
    assert as_curator.get(api("tool-proposals/")).json()["count"] == 1
    accepted = as_curator.post(api(f"tool-proposals/{proposal['id']}/accept/"), {"note": "Checked"})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    firefly.refresh_from_db()
    assert firefly.output_marking == OutputMarking.C2PA
    assert firefly.history.latest().history_change_reason == f"proposal #{proposal['id']}: Model card"
    assert_error(as_curator.post(api(f"tool-proposals/{proposal['id']}/reject/"), {"note": "late"}), 400)


def test_a_curator_rejects_with_a_note(as_producer, curator, firefly):
    proposal = as_producer.post(
        api(f"tools/{firefly.pk}/proposals/"), {"changes": {"product": "Firefly 5"}, "reason": "Renamed"}
    ).json()
    as_curator = token_client(curator)

    assert_error(as_curator.post(api(f"tool-proposals/{proposal['id']}/reject/")), 400, "invalid", fields=["note"])
    rejected = as_curator.post(api(f"tool-proposals/{proposal['id']}/reject/"), {"note": "Not yet released"})

    assert rejected.json()["status"] == "rejected"
    assert as_producer.get(api(f"tool-proposals/{proposal['id']}/")).json()["decision_note"] == "Not yet released"
    firefly.refresh_from_db()
    assert firefly.product == "Firefly"


def test_a_new_entry_is_proposed_without_a_tool(as_producer, curator):
    proposed = as_producer.post(
        api("tool-proposals/"),
        {"changes": {"vendor": "Runway", "product": "Gen-4", "kind": "video"}, "reason": "We use it"},
    )
    assert proposed.status_code == 201, proposed.content
    assert not AITool.objects.exists()
    token_client(curator).post(api(f"tool-proposals/{proposed.json()['id']}/accept/"))
    assert AITool.objects.get().product == "Gen-4"


def test_an_invalid_proposal_is_400(as_producer, firefly):
    response = as_producer.post(api(f"tools/{firefly.pk}/proposals/"), {"changes": {"kind": "hologram"}, "reason": "r"})
    assert_error(response, 400, "invalid")
    assert not ToolProposal.objects.exists()


def test_others_do_not_see_someone_elses_proposal(as_producer, as_outsider, firefly):
    proposal = as_producer.post(
        api(f"tools/{firefly.pk}/proposals/"), {"changes": {"product": "X"}, "reason": "r"}
    ).json()
    assert_error(as_outsider.get(api(f"tool-proposals/{proposal['id']}/")), 404)
    assert as_outsider.get(api("tool-proposals/")).json()["count"] == 0
    assert ToolProposal.objects.get().status == ProposalStatus.PENDING


def test_a_producer_keeps_a_private_tool_of_their_organisation(as_producer, as_outsider, production):
    created = as_producer.post(
        api("tools/"), {"organisation": production.organisation_id, "vendor": "K&S", "product": "Rig", "kind": "3d"}
    )
    assert created.status_code == 201, created.content
    tool = created.json()
    assert tool["organisation"] == production.organisation_id
    assert as_producer.patch(api(f"tools/{tool['id']}/"), {"model_version": "2"}).json()["model_version"] == "2"
    # Another organisation's producer may not name it, find it, or add tools to it.
    assert_error(as_outsider.get(api(f"tools/{tool['id']}/")), 404)
    refused = as_outsider.post(
        api("tools/"), {"organisation": production.organisation_id, "vendor": "X", "product": "Y", "kind": "3d"}
    )
    assert_error(refused, 400, "invalid", fields=["organisation"])
    assert as_producer.delete(api(f"tools/{tool['id']}/")).status_code == 204
