"""The shared AI tool catalogue as its users see it: anyone signed in reads, curators (and staff) maintain it."""

import pytest
from django.test import Client
from django.urls import reverse

from productions.forms.tools import ToolForm
from productions.models import AITool
from productions.services import TOOL_FIELDS
from productions.vocabularies import OperatorRole, OutputMarking, ToolKind, TrainingDataProvenance
from tests.factories import AIToolFactory, AIUseFactory, ProductionFactory, UserFactory

TOOLS = reverse("productions:tools")
CREATE = reverse("productions:tool-create")


def detail(tool):
    return reverse("productions:tool-detail", args=[tool.pk])


def edit(tool):
    return reverse("productions:tool-edit", args=[tool.pk])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def tool_form(**overrides):
    return {
        "vendor": "Adobe",
        "product": "Firefly",
        "model_name": "Firefly Image Model",
        "model_version": "4",
        "kind": ToolKind.IMAGE,
        "general_purpose_model": "on",
        "our_role": OperatorRole.DEPLOYER,
        "output_marking": OutputMarking.C2PA,
        "on_market_since": "2023-09-13",
        "vendor_trains_on_inputs": "no",
        "vendor_retains_inputs": "no",
        "honours_tdm_opt_out": "yes",
        "training_data_provenance": [TrainingDataProvenance.LICENSED, TrainingDataProvenance.PUBLIC_DOMAIN],
        "training_data_notes": "Adobe Stock, openly licensed and public-domain content.",
        "training_content_summary_url": "https://www.adobe.com/ai/overview/firefly/gen-ai-approach.html",
        "copyright_policy_url": "https://www.adobe.com/legal/licenses-terms/adobe-gen-ai-user-guidelines.html",
        "reason": "The vendor's model card.",
    } | overrides


@pytest.fixture
def firefly(db):
    return AIToolFactory(
        vendor="Adobe",
        product="Firefly",
        model_name="Firefly Image Model",
        model_version="4",
        general_purpose_model=True,
        training_data_provenance=[TrainingDataProvenance.LICENSED, TrainingDataProvenance.PUBLIC_DOMAIN],
        training_content_summary_url="https://example.org/firefly-summary",
        output_marking=OutputMarking.C2PA,
    )


@pytest.fixture
def midjourney(db):
    return AIToolFactory(
        vendor="Midjourney",
        product="Midjourney",
        model_name="V7",
        model_version="",
        training_data_provenance=[TrainingDataProvenance.UNDISCLOSED],
        output_marking=OutputMarking.NONE,
    )


def test_the_form_asks_for_every_fact_the_service_records():
    assert set(ToolForm.base_fields) - {"reason"} == TOOL_FIELDS


# Reading the catalogue


@pytest.mark.parametrize("url_name", ["tools", "tool-create"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url_name, db):
    response = client.get(reverse(f"productions:{url_name}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_visitors_cannot_read_or_edit_a_tool(client, firefly):
    for url in (detail(firefly), edit(firefly)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("member", ["producer", "legal", "viewer", "outsider"])
def test_every_signed_in_user_reads_the_catalogue(request, member, firefly, midjourney):
    response = signed_in(request.getfixturevalue(member)).get(TOOLS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Adobe Firefly" in page and "Midjourney" in page
    assert "C2PA content credentials" in page and "Undisclosed" in page


def test_curators_see_the_buttons_to_add_and_edit_a_tool(curator, firefly):
    assert CREATE in signed_in(curator).get(TOOLS).content.decode()
    assert edit(firefly) in signed_in(curator).get(detail(firefly)).content.decode()


def test_producers_see_no_edit_button_on_a_shared_tool_but_may_propose(producer, firefly):
    page = signed_in(producer).get(detail(firefly)).content.decode()
    assert edit(firefly) not in page
    assert reverse("productions:tool-propose", args=[firefly.pk]) in page


@pytest.mark.parametrize("member", ["legal", "viewer"])
def test_others_do_not_see_the_buttons_to_change_the_catalogue(request, member, firefly):
    client = signed_in(request.getfixturevalue(member))
    assert CREATE not in client.get(TOOLS).content.decode()
    assert edit(firefly) not in client.get(detail(firefly)).content.decode()


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"kind": ToolKind.VIDEO}, "Runway", "Firefly"),
        ({"provenance": TrainingDataProvenance.PUBLIC_DOMAIN}, "Firefly", "Midjourney"),
        ({"provenance": TrainingDataProvenance.UNDISCLOSED}, "Midjourney", "Firefly"),
        ({"output_marking": OutputMarking.NONE}, "Midjourney", "Firefly"),
        ({"our_role": OperatorRole.PROVIDER}, "In-house", "Firefly"),
        ({"q": "firefly image"}, "Firefly", "Midjourney"),
        ({"q": "v7"}, "Midjourney", "Firefly"),
    ],
)
def test_the_catalogue_filters(viewer, firefly, midjourney, query, shown, hidden):
    AIToolFactory(vendor="Runway", product="Runway", kind=ToolKind.VIDEO, training_data_provenance=["scraped_web"])
    AIToolFactory(vendor="Studio", product="In-house voice", our_role=OperatorRole.PROVIDER)
    page = signed_in(viewer).get(TOOLS, query).content.decode()
    assert shown in page
    assert hidden not in page


def test_an_unknown_filter_value_is_reported_not_a_crash(viewer, firefly):
    response = signed_in(viewer).get(TOOLS, {"kind": "hologram"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("tools", [5, 40])
def test_the_catalogue_page_makes_the_same_queries_for_5_or_40_tools(producer, tools, django_assert_max_num_queries):
    AIToolFactory.create_batch(tools, training_data_provenance=["licensed", "scraped_web"])
    client = signed_in(producer)
    # Session, user, count, page; the curator permission (2), what the reader may add or propose (2) and the
    # unread notifications in the header.
    with django_assert_max_num_queries(9):
        response = client.get(TOOLS)
    assert response.content.decode().count('class="tag provenance-scraped_web"') == tools


def test_a_tool_shows_every_fact_with_its_legal_basis(viewer, firefly):
    page = signed_in(viewer).get(detail(firefly)).content.decode()
    for fact in (
        "Firefly Image Model",
        "Built on a general-purpose AI model",
        "Licensed, Public domain",
        "https://example.org/firefly-summary",
        "C2PA content credentials",
    ):
        assert fact in page
    for legal_basis in (
        "AI Act Art. 53(1)(d)",
        "AI Act Art. 53(1)(c)",
        "AI Act Art. 50(2)",
        "AI Act Art. 3(3)-(4)",
        "AI Act Art. 111(3)-(4)",
    ):
        assert legal_basis in page
    # The date the transitional periods run from, in the words of Art. 111.
    assert "<dt>Placed on the market or put into service on</dt>" in page
    # The copyright policy is not on file: said so, not left blank.
    assert "Not recorded" in page


def test_a_tool_shows_only_the_readers_own_productions_using_it(production, producer, outsider, firefly):
    AIUseFactory.create_batch(2, production=production, tool=firefly)
    theirs = outsider.memberships.get().production
    AIUseFactory(production=theirs, tool=firefly)

    mine = signed_in(producer).get(detail(firefly)).content.decode()
    assert "El Eternauta" in mine and theirs.title not in mine
    # The count opens the production's ledger filtered on the tool.
    assert f"{reverse('productions:ledger', args=[production.pk])}?tool={firefly.pk}" in mine
    assert "2 uses" in mine

    others = signed_in(outsider).get(detail(firefly)).content.decode()
    assert theirs.title in others and "El Eternauta" not in others


def test_a_tool_counts_its_uses_per_production(production, producer, firefly):
    AIUseFactory.create_batch(3, production=production, tool=firefly)
    AIUseFactory(production=production)
    response = signed_in(producer).get(detail(firefly))
    assert [(p.title, p.use_count) for p, _role in response.context["usage"]] == [("El Eternauta", 3)]


def test_a_tool_no_production_of_the_reader_uses_says_so(viewer, firefly):
    assert (
        "None of your productions records a use of this tool."
        in signed_in(viewer).get(detail(firefly)).content.decode()
    )


def test_an_unknown_tool_is_not_found(viewer, db):
    assert signed_in(viewer).get(reverse("productions:tool-detail", args=[999])).status_code == 404


# Maintaining the catalogue


def test_a_curator_adds_a_tool(curator):
    response = signed_in(curator).post(CREATE, tool_form())
    tool = AITool.objects.get()
    assert response.status_code == 302
    assert response.url == detail(tool)
    assert tool.training_data_provenance == ["licensed", "public_domain"]
    assert tool.general_purpose_model is True
    assert str(tool.on_market_since) == "2023-09-13"
    assert tool.organisation is None
    entry = tool.history.get()
    assert (entry.history_user, entry.history_change_reason) == (curator, "The vendor's model card.")


def test_a_change_of_the_shared_catalogue_needs_a_reason(curator):
    response = signed_in(curator).post(CREATE, tool_form(reason=""))
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not AITool.objects.exists()


def test_staff_curate_the_catalogue(db):
    staff = UserFactory(username="stella", is_staff=True)
    assert signed_in(staff).post(CREATE, tool_form(product="Firefly Video")).status_code == 302
    assert AITool.objects.count() == 1


@pytest.mark.parametrize("member", ["producer", "legal", "viewer", "outsider"])
def test_others_may_not_add_or_edit_shared_tools(request, member, firefly):
    client = signed_in(request.getfixturevalue(member))
    if member in ("legal", "viewer"):
        assert client.get(CREATE).status_code == 403
    # A producer may add a private tool of their organisation, never a shared entry.
    response = client.post(CREATE, tool_form(product="Other"))
    assert response.status_code in (200, 403)
    assert client.get(edit(firefly)).status_code == 403
    assert client.post(edit(firefly), tool_form(vendor="Changed")).status_code == 403
    assert AITool.objects.count() == 1
    firefly.refresh_from_db()
    assert firefly.vendor == "Adobe"


def test_a_user_of_no_production_may_not_add_tools(db):
    assert signed_in(UserFactory(username="nobody")).get(CREATE).status_code == 403


def test_a_bad_address_is_shown_next_to_its_field(curator):
    response = signed_in(curator).post(CREATE, tool_form(copyright_policy_url="not a url"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["copyright_policy_url"] == ["Enter a valid URL."]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not AITool.objects.exists()


def test_a_bare_domain_is_taken_as_https(curator):
    signed_in(curator).post(CREATE, tool_form(copyright_policy_url="example.org/policy"))
    assert AITool.objects.get().copyright_policy_url == "https://example.org/policy"


def test_provenance_is_required(curator):
    response = signed_in(curator).post(CREATE, tool_form(training_data_provenance=[]))
    assert "training_data_provenance" in response.context["form"].errors
    assert not AITool.objects.exists()


def test_the_same_model_version_twice_is_refused_clearly(curator, firefly):
    response = signed_in(curator).post(CREATE, tool_form())
    assert response.status_code == 200
    assert "already in the catalogue" in response.content.decode()
    assert AITool.objects.count() == 1


def test_a_curator_edits_a_tool(curator, firefly):
    response = signed_in(curator).post(
        edit(firefly), tool_form(output_marking=OutputMarking.WATERMARK, training_data_provenance=["undisclosed"])
    )
    assert response.status_code == 302
    firefly.refresh_from_db()
    assert firefly.output_marking == OutputMarking.WATERMARK
    assert firefly.training_data_provenance == ["undisclosed"]
    latest = firefly.history.latest()
    assert latest.history_user == curator
    assert latest.history_type == "~"


def test_the_edit_form_starts_from_the_recorded_facts(curator, firefly):
    form = signed_in(curator).get(edit(firefly)).context["form"]
    assert form["vendor"].value() == "Adobe"
    assert form["training_data_provenance"].value() == ["licensed", "public_domain"]


def test_editing_into_another_entrys_identity_is_refused(curator, firefly, midjourney):
    response = signed_in(curator).post(
        edit(midjourney),
        tool_form(vendor="Adobe", product="Firefly", model_name="Firefly Image Model", model_version="4"),
    )
    assert response.status_code == 200
    assert "already in the catalogue" in response.content.decode()
    # The page still names the entry being edited, not the refused values.
    assert "Edit Midjourney Midjourney (V7)" in response.content.decode()
    midjourney.refresh_from_db()
    assert midjourney.vendor == "Midjourney"


def test_writes_need_the_csrf_token(curator, firefly):
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    assert client.post(CREATE, tool_form(product="Other")).status_code == 403
    assert client.post(edit(firefly), tool_form(vendor="Changed")).status_code == 403
    assert AITool.objects.count() == 1


def test_staff_with_no_production_see_no_usage(firefly):
    AIUseFactory(production=ProductionFactory(title="Secret Film"), tool=firefly)
    staff = UserFactory(username="stella", is_staff=True)
    page = signed_in(staff).get(detail(firefly)).content.decode()
    assert "Secret Film" not in page
