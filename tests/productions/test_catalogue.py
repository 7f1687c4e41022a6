"""The curated catalogue (issue 13): shared entries change only through curators, with a reason kept in their
history; producers propose; an organisation keeps private tools and a policy on tools. A producer of one
organisation never changes what another organisation's checklist or statement says."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from disclosure import pdf, signing
from disclosure.documents import building, editions
from disclosure.documents.verification import Currency, verify
from disclosure.models import DocumentKind, EditionStatus
from productions import catalogue, imports, services
from productions.models import AITool, AIUse, OrganisationToolPolicy, ToolProposal
from productions.vocabularies import (
    OrganisationRole,
    OutputMarking,
    ProposalStatus,
    ToolKind,
    ToolPolicyStatus,
    TrainingDataProvenance,
)
from tests.api.conftest import api, assert_error, token_client
from tests.factories import AIToolFactory, AIUseFactory, OrganisationMembershipFactory

ON = datetime.date(2026, 11, 20)


@pytest.fixture
def fast_pdf(monkeypatch):
    """As tests/disclosure/conftest.py's: WeasyPrint and signing stand aside, these tests are about the data."""
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, *, attachments=(): b"%PDF-1.7\n% test\n")
    monkeypatch.setattr(signing, "sign_pdf", lambda pdf_bytes, **options: pdf_bytes)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def contents(production):
    """What B's statement and checklist say, as the bytes their inputs hash to."""
    return {
        kind: json.dumps(building.build(production, kind, "en", ON)[1].content, sort_keys=True, default=str)
        for kind in (DocumentKind.STATEMENT, DocumentKind.CHECKLIST)
    }


@pytest.fixture
def firefly(db):
    return AIToolFactory(
        vendor="Adobe",
        product="Firefly",
        training_data_provenance=[TrainingDataProvenance.UNDISCLOSED],
        output_marking=OutputMarking.NONE,
    )


@pytest.fixture
def eternauta(production, producer, firefly):
    """Organisation B's production, whose statement names Firefly."""
    AIUseFactory(production=production, title="Snowfall over Buenos Aires", tool=firefly)
    return production


@pytest.fixture
def private_tool(production, producer):
    """Organisation B's own tool."""
    return catalogue.create_tool(
        actor=producer, organisation=production.organisation, vendor="K&S", product="Previs rig", kind=ToolKind.MODEL_3D
    )


def form_of(tool, **overrides):
    values = {
        "vendor": tool.vendor,
        "product": tool.product,
        "model_name": tool.model_name,
        "model_version": tool.model_version,
        "kind": tool.kind,
        "our_role": tool.our_role,
        "output_marking": tool.output_marking,
        "vendor_trains_on_inputs": tool.vendor_trains_on_inputs,
        "vendor_retains_inputs": tool.vendor_retains_inputs,
        "honours_tdm_opt_out": tool.honours_tdm_opt_out,
        # An unsaved tool holds the field's default, a single value.
        "training_data_provenance": (
            [tool.training_data_provenance]
            if isinstance(tool.training_data_provenance, str)
            else list(tool.training_data_provenance)
        ),
        "training_data_notes": tool.training_data_notes,
        "reason": "",
    }
    return values | overrides


# A producer of organisation A and organisation B's documents


def test_a_producer_of_another_organisation_cannot_change_a_shared_tool_anywhere(eternauta, outsider, firefly):
    before = contents(eternauta)
    licensed = {"training_data_provenance": ["licensed"], "output_marking": "c2pa", "reason": "trust me"}

    with pytest.raises(PermissionDenied):
        catalogue.update_tool(actor=outsider, tool=firefly, **licensed)
    client = signed_in(outsider)
    edit = reverse("productions:tool-edit", args=[firefly.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_of(firefly, **licensed)).status_code == 403
    assert edit not in client.get(reverse("productions:tool-detail", args=[firefly.pk])).content.decode()
    as_outsider = token_client(outsider)
    assert_error(as_outsider.patch(api(f"tools/{firefly.pk}/"), licensed), 403, "permission_denied")
    assert_error(as_outsider.put(api(f"tools/{firefly.pk}/"), {**form_of(firefly), **licensed}), 403)
    assert_error(as_outsider.delete(api(f"tools/{firefly.pk}/?reason=spam")), 403)

    firefly.refresh_from_db()
    assert firefly.training_data_provenance == ["undisclosed"]
    assert contents(eternauta) == before


def test_a_producer_of_another_organisation_finds_nothing_of_its_private_tools(eternauta, outsider, private_tool):
    AIUseFactory(production=eternauta, tool=private_tool)
    before = contents(eternauta)

    with pytest.raises(Http404):
        catalogue.update_tool(actor=outsider, tool=private_tool, product="Renamed")
    with pytest.raises(Http404):
        catalogue.delete_tool(actor=outsider, tool=private_tool)
    client = signed_in(outsider)
    for name in ("tool-detail", "tool-edit", "tool-history", "tool-propose"):
        assert client.get(reverse(f"productions:{name}", args=[private_tool.pk])).status_code == 404, name
    assert (
        client.post(reverse("productions:tool-edit", args=[private_tool.pk]), form_of(private_tool)).status_code == 404
    )
    as_outsider = token_client(outsider)
    assert_error(as_outsider.get(api(f"tools/{private_tool.pk}/")), 404)
    assert_error(as_outsider.patch(api(f"tools/{private_tool.pk}/"), {"product": "Renamed"}), 404)
    assert_error(as_outsider.delete(api(f"tools/{private_tool.pk}/")), 404)
    assert_error(as_outsider.post(api(f"tools/{private_tool.pk}/proposals/"), {"changes": {}, "reason": "r"}), 404)

    private_tool.refresh_from_db()
    assert private_tool.product == "Previs rig"
    assert contents(eternauta) == before


# Curators, with a reason for each change, shown in the tool's history


def test_a_curators_change_is_shown_in_the_tools_history_with_its_reason(curator, firefly, viewer):
    catalogue.update_tool(
        actor=curator, tool=firefly, reason="Adobe's model card, May 2026", output_marking=OutputMarking.C2PA
    )

    page = signed_in(viewer).get(reverse("productions:tool-history", args=[firefly.pk])).content.decode()
    assert "Adobe&#x27;s model card, May 2026" in page
    assert "Machine-readable output marking" in page and "C2PA content credentials" in page
    assert "carmen" in page
    assert (
        "Adobe&#x27;s model card, May 2026"
        in signed_in(viewer).get(reverse("productions:tool-detail", args=[firefly.pk])).content.decode()
    )


def test_a_shared_change_without_a_reason_is_refused(curator, firefly):
    with pytest.raises(ValidationError) as refused:
        catalogue.update_tool(actor=curator, tool=firefly, reason="  ", product="Firefly 5")
    assert "reason" in refused.value.message_dict
    firefly.refresh_from_db()
    assert firefly.product == "Firefly"


def test_a_user_given_the_permission_in_the_admin_curates(firefly, django_user_model):
    from django.contrib.auth.models import Group, Permission

    curators = Group.objects.create(name="Catalogue curators")
    curators.permissions.add(Permission.objects.get(codename="curate_catalogue"))
    user = django_user_model.objects.create_user("gina")
    user.groups.add(curators)

    catalogue.update_tool(actor=user, tool=firefly, reason="vendor page", model_version="5")
    firefly.refresh_from_db()
    assert firefly.model_version == "5"


# Proposals


def test_a_proposal_changes_nothing_until_a_curator_accepts_it(eternauta, outsider, curator, firefly):
    before = contents(eternauta)
    proposal = catalogue.propose_tool_change(
        actor=outsider,
        tool=firefly,
        changes={"training_data_provenance": ["licensed"], "product": "Firefly"},
        reason="Adobe's summary says licensed stock",
    )

    assert proposal.status == ProposalStatus.PENDING
    assert proposal.changes == {"training_data_provenance": ["licensed"]}  # what already holds is left out
    firefly.refresh_from_db()
    assert firefly.training_data_provenance == ["undisclosed"]
    assert contents(eternauta) == before
    with pytest.raises(PermissionDenied):
        catalogue.accept_proposal(actor=outsider, proposal=proposal)

    catalogue.accept_proposal(actor=curator, proposal=proposal)

    firefly.refresh_from_db()
    assert firefly.training_data_provenance == ["licensed"]
    latest = firefly.history.latest()
    assert latest.history_user == curator
    assert latest.history_change_reason == f"proposal #{proposal.pk}: Adobe's summary says licensed stock"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.ACCEPTED, curator)
    assert contents(eternauta) != before


def test_a_rejected_proposal_leaves_the_tool_as_it_was_and_the_proposer_sees_why(outsider, curator, firefly):
    proposal = catalogue.propose_tool_change(
        actor=outsider, tool=firefly, changes={"output_marking": "c2pa"}, reason="I think so"
    )
    with pytest.raises(ValidationError):
        catalogue.reject_proposal(actor=curator, proposal=proposal, note="")

    catalogue.reject_proposal(actor=curator, proposal=proposal, note="No source: Adobe documents no marking.")

    firefly.refresh_from_db()
    assert firefly.output_marking == OutputMarking.NONE
    assert firefly.history.count() == 1
    with pytest.raises(ValidationError, match="already been decided"):
        catalogue.accept_proposal(actor=curator, proposal=proposal)
    page = signed_in(outsider).get(reverse("productions:tool-detail", args=[firefly.pk])).content.decode()
    assert "Rejected" in page and "No source: Adobe documents no marking." in page
    mine = signed_in(outsider).get(reverse("productions:tool-proposals")).content.decode()
    assert "No source: Adobe documents no marking." in mine


def test_proposals_through_the_pages(producer, curator, firefly):
    propose = reverse("productions:tool-propose", args=[firefly.pk])
    response = signed_in(producer).post(propose, form_of(firefly, output_marking="c2pa", reason="Model card"))
    assert response.status_code == 302
    proposal = ToolProposal.objects.get()
    assert proposal.changes == {"output_marking": "c2pa"}
    assert proposal.proposed_by == producer
    firefly.refresh_from_db()
    assert firefly.output_marking == OutputMarking.NONE

    queue = signed_in(curator).get(reverse("productions:tool-proposals")).content.decode()
    assert f"#{proposal.pk}" in queue and "Model card" in queue
    # Only curators decide: the proposer's own POST is refused and nothing changes.
    accept = reverse("productions:tool-proposal-accept", args=[proposal.pk])
    signed_in(producer).post(accept)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING

    assert signed_in(curator).post(accept, {"note": "Checked"}).status_code == 302
    firefly.refresh_from_db()
    assert firefly.output_marking == OutputMarking.C2PA


def test_a_proposed_new_entry_is_created_when_accepted(producer, curator):
    proposal = catalogue.propose_tool_change(
        actor=producer,
        changes={"vendor": "Runway", "product": "Gen-4", "kind": "video", "on_market_since": "2025-03-31"},
        reason="We use it",
    )
    assert not AITool.objects.exists()

    catalogue.accept_proposal(actor=curator, proposal=proposal)

    tool = AITool.objects.get()
    assert (tool.product, tool.organisation, str(tool.on_market_since)) == ("Gen-4", None, "2025-03-31")
    proposal.refresh_from_db()
    assert proposal.tool == tool


def test_a_proposal_is_validated_against_the_tools_fields(producer, firefly):
    for changes in ({"colour": "red"}, {"kind": "hologram"}, {}):
        with pytest.raises(ValidationError):
            catalogue.propose_tool_change(actor=producer, tool=firefly, changes=changes, reason="r")
    with pytest.raises(ValidationError):
        catalogue.propose_tool_change(actor=producer, tool=firefly, changes={"product": "Other"}, reason="")
    assert not ToolProposal.objects.exists()


def test_only_producers_and_curators_propose(viewer, legal, firefly):
    for user in (viewer, legal):
        with pytest.raises(PermissionDenied):
            catalogue.propose_tool_change(actor=user, tool=firefly, changes={"product": "X"}, reason="r")


# Issued documents keep the tool facts they were issued with


def test_an_issued_edition_keeps_the_tool_facts_after_a_curator_changes_them(
    eternauta, producer, curator, firefly, fast_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edition = editions.issue(
            actor=producer, production=eternauta, kind=DocumentKind.STATEMENT, on=ON, signatory="Paula Ortega"
        )
    edition.refresh_from_db()
    assert edition.status == EditionStatus.ISSUED
    document = edition.documents.get(language="en")
    data = json.dumps(document.data, sort_keys=True)
    assert "Firefly" in data

    catalogue.update_tool(
        actor=curator,
        tool=firefly,
        reason="Vendor now documents licensed data and C2PA",
        training_data_provenance=["licensed"],
        output_marking=OutputMarking.C2PA,
    )

    document.refresh_from_db()
    assert json.dumps(document.data, sort_keys=True) == data
    verification = verify(document)
    assert verification.currency == Currency.RECORDS_CHANGED
    assert "tools" in verification.changed


# Private tools


def test_private_tools_are_seen_only_by_their_organisation(production, producer, viewer, outsider, private_tool):
    assert "Previs rig" in signed_in(viewer).get(reverse("productions:tools")).content.decode()
    assert "Previs rig" not in signed_in(outsider).get(reverse("productions:tools")).content.decode()
    assert [t["product"] for t in token_client(viewer).get(api("tools/")).json()["results"]] == ["Previs rig"]
    assert token_client(outsider).get(api("tools/")).json()["count"] == 0
    # Their own organisation's use forms offer it; another organisation's do not.
    theirs = outsider.memberships.get().production
    ours = signed_in(producer).get(reverse("productions:ai-use-create", args=[production.pk]))
    assert private_tool in ours.context["form"].fields["tool"].queryset
    other = signed_in(outsider).get(reverse("productions:ai-use-create", args=[theirs.pk]))
    assert private_tool not in other.context["form"].fields["tool"].queryset


def test_a_use_names_only_shared_tools_or_its_organisations_own(production, producer, outsider, private_tool):
    theirs = outsider.memberships.get().production
    fields = {
        "phase": "vfx",
        "department": "vfx",
        "title": "Previs",
        "output_type": "image",
        "digital_source_type": "trainedAlgorithmicMedia",
    }

    with pytest.raises(ValidationError) as refused:
        services.create_ai_use(actor=outsider, production=theirs, tool=private_tool, **fields)
    assert "tool" in refused.value.message_dict
    assert not AIUse.objects.exists()
    response = token_client(outsider).post(
        api(f"productions/{theirs.pk}/ai-uses/"), {**fields, "tool": private_tool.pk}
    )
    assert_error(response, 400, "invalid", fields=["tool"])

    use = services.create_ai_use(actor=producer, production=production, tool=private_tool, **fields)
    assert use.tool == private_tool


def test_an_import_matches_only_the_tools_the_production_may_name(production, outsider, private_tool):
    theirs = outsider.memberships.get().production
    assert imports.ToolIndex(production).find("Previs rig") == private_tool
    with pytest.raises(ValidationError):
        imports.ToolIndex(theirs).find("Previs rig")


def test_who_keeps_an_organisations_private_tools(production, producer, legal, viewer, curator, private_tool):
    catalogue.update_tool(actor=producer, tool=private_tool, model_version="3")  # no reason needed
    # legal is a member of the organisation, not an owner, admin or producer; a curator is not in it.
    with pytest.raises(PermissionDenied):
        catalogue.update_tool(actor=legal, tool=private_tool, model_version="4")
    with pytest.raises(Http404):
        catalogue.update_tool(actor=curator, tool=private_tool, reason="r", model_version="4")
    admin = OrganisationMembershipFactory(organisation=production.organisation, role=OrganisationRole.ADMIN).user
    catalogue.update_tool(actor=admin, tool=private_tool, model_version="5")
    private_tool.refresh_from_db()
    assert private_tool.model_version == "5"
    assert [entry.history_user for entry in private_tool.history.order_by("history_id")] == [producer, producer, admin]


def test_a_producer_adds_a_private_tool_through_the_page(production, producer):
    response = signed_in(producer).post(
        reverse("productions:tool-create"),
        form_of(AITool(vendor="K&S", product="Matte painter", kind="image"), organisation=production.organisation_id),
    )
    assert response.status_code == 302
    assert AITool.objects.get().organisation == production.organisation
    # No shared entry: the choice "the shared catalogue" is not theirs.
    refused = signed_in(producer).post(
        reverse("productions:tool-create"), form_of(AITool(vendor="K&S", product="Other", kind="image"))
    )
    assert refused.status_code == 200
    assert AITool.objects.count() == 1


# Organisation tool policies


@pytest.fixture
def blocked_use(production, producer, firefly):
    catalogue.set_tool_policy(
        actor=producer,
        organisation=production.organisation,
        tool=firefly,
        status=ToolPolicyStatus.BLOCKED,
        note="Training data unclear",
    )
    return AIUseFactory(production=production, title="Snowfall", tool=firefly)


def test_a_use_of_a_blocked_tool_is_flagged(production, producer, blocked_use):
    AIUseFactory(production=production, title="Crowd extension")
    client = signed_in(producer)
    ledger = reverse("productions:ledger", args=[production.pk])

    page = client.get(ledger).content.decode()
    assert page.count("Tool blocked by your organisation") == 1
    filtered = client.get(ledger, {"tool_blocked": "true"}).content.decode()
    assert "Snowfall" in filtered and "Crowd extension" not in filtered
    detail = client.get(reverse("productions:ai-use-detail", args=[production.pk, blocked_use.pk])).content.decode()
    assert "Tool blocked by your organisation" in detail and "Training data unclear" in detail
    form = client.get(reverse("productions:ai-use-edit", args=[production.pk, blocked_use.pk])).content.decode()
    assert "Tool blocked by your organisation" in form and "(the tool chosen)" in form


def test_a_restricted_tool_gets_a_softer_note(production, producer, firefly):
    catalogue.set_tool_policy(
        actor=producer, organisation=production.organisation, tool=firefly, status=ToolPolicyStatus.RESTRICTED
    )
    AIUseFactory(production=production, tool=firefly)
    page = signed_in(producer).get(reverse("productions:ledger", args=[production.pk])).content.decode()
    assert "Restricted tool" in page and "Tool blocked by your organisation" not in page


def test_only_owners_and_admins_set_the_policy(production, legal, outsider, producer, firefly):
    with pytest.raises(PermissionDenied):
        catalogue.set_tool_policy(
            actor=legal, organisation=production.organisation, tool=firefly, status=ToolPolicyStatus.BLOCKED
        )
    with pytest.raises(Http404):
        catalogue.set_tool_policy(
            actor=outsider, organisation=production.organisation, tool=firefly, status=ToolPolicyStatus.BLOCKED
        )
    response = signed_in(producer).post(
        reverse("productions:tool-policy", args=[firefly.pk]),
        {"organisation": production.organisation_id, "status": "approved", "note": "Cleared by legal"},
    )
    assert response.status_code == 302
    policy = OrganisationToolPolicy.objects.get()
    assert (policy.status, policy.set_by) == (ToolPolicyStatus.APPROVED, producer)
    assert policy.history.count() == 1


def test_the_policy_through_the_api(production, producer, outsider, firefly):
    url = api(f"organisations/{production.organisation_id}/tool-policies/")
    created = token_client(producer).post(url, {"tool": firefly.pk, "status": "blocked", "note": "No"})
    assert created.status_code == 201, created.content
    assert token_client(producer).get(url).json()["results"][0]["status"] == "blocked"
    assert_error(token_client(outsider).post(url, {"tool": firefly.pk, "status": "approved"}), 404)
    assert token_client(producer).delete(f"{url}{created.json()['id']}/").status_code == 204
    assert not OrganisationToolPolicy.objects.exists()


def test_the_organisation_page_lists_its_tool_policies_and_private_tools(
    production, producer, blocked_use, private_tool
):
    page = signed_in(producer).get(reverse("productions:organisation", args=[production.organisation_id]))
    text = page.content.decode()
    assert "Blocked" in text and "Training data unclear" in text and "Previs rig" in text
