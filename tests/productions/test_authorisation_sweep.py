"""An authorisation sweep over every URL pattern of organisations and invitations, pages and API alike.

Every route is found in the URL resolver (a route added later is swept without editing this file) and called
with every method by someone signed out and by a producer of another organisation: the first is sent to sign
in (pages) or gets 401 (API), the second finds nothing (404) or a method the route does not offer (405). The
routes that list the caller's own organisations answer the stranger, naming none of the other's; founding an
organisation (POST to them) is everyone's right and is not swept. Nothing may change on the way.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from productions import catalogue, organisations
from productions.models import (
    AITool,
    Invitation,
    Membership,
    Organisation,
    OrganisationMembership,
    OrganisationToolPolicy,
    Production,
    ToolProposal,
)
from productions.vocabularies import Role
from tests.api.conftest import token_client
from tests.factories import AIToolFactory

METHODS = ("get", "post", "put", "patch", "delete")
SWEPT = re.compile(r"organisations|invitations")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def swept_routes():
    return sorted({route for route in _routes(get_resolver().url_patterns) if SWEPT.search(route)})


def _fill(route, records):
    """The route with its parameters pointing at the other organisation's records."""
    in_production = route.startswith("productions/") or "/productions/" in route

    def value(match):
        name = match.group("name")
        if name in {"organisation_id"} or (name == "pk" and "organisations/" in route and not in_production):
            return str(records["organisation"])
        if name in {"production_id"} or (name == "pk" and in_production):
            return str(records["production"])
        if name == "member_pk":
            return str(records["organisation_member"])
        if name == "token":
            return "not-a-token"
        if name in {"pk", "id"}:
            return str(records["invitation"])
        raise AssertionError(f"No record for <{name}> in {route}")

    url = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)
    return "/" + url.replace("^", "").replace("$", "").replace("\\Z", "")


@pytest.fixture
def records(production, producer):
    invitation = organisations.invite(
        actor=producer,
        organisation=production.organisation,
        email="lucia@example.org",
        production=production,
        production_role=Role.VIEWER,
    )
    return {
        "organisation": production.organisation_id,
        "production": production.pk,
        "organisation_member": OrganisationMembership.objects.get(user=producer).pk,
        "invitation": invitation.pk,
    }


def state():
    models = (Organisation, OrganisationMembership, Invitation, Production, Membership)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def test_every_organisation_and_invitation_route_is_closed_to_strangers(records, outsider, capsys):
    routes = swept_routes()
    assert len(routes) >= 14, routes  # pages and API of organisations, members, invitations
    before = state()
    clients = {"signed out": (Client(), Client()), "other organisation": (Client(), token_client(outsider))}
    clients["other organisation"][0].force_login(outsider)
    checked = 0
    failures = []
    other_name = Organisation.objects.get(pk=records["organisation"]).name
    for route in routes:
        url = _fill(route, records)
        is_api = url.startswith("/api/")
        own_list = "<" not in route
        for who, (page_client, api_client) in clients.items():
            client = api_client if is_api else page_client
            for method in METHODS:
                if own_list and who != "signed out" and method == "post":
                    continue  # founding one's own organisation is open to everyone signed in: tested elsewhere
                response = getattr(client, method)(url)
                checked += 1
                allowed = {404, 405}
                if who == "signed out":
                    allowed = {401, 405} if is_api else {302, 405}
                elif own_list:
                    # A list of the caller's own organisations: it answers, and names none of the other's.
                    allowed = {200, 405}
                    if other_name in response.content.decode():
                        failures.append(f"{who} {method.upper()} {url}: shows {other_name}")
                if response.status_code not in allowed:
                    failures.append(f"{who} {method.upper()} {url}: {response.status_code}")
    with capsys.disabled():
        print(f"\nAuthorisation sweep: {len(routes)} routes, {checked} requests, {len(failures)} let through")
    assert failures == []
    own_lists = sum("<" not in route for route in routes)
    assert checked == len(routes) * len(clients) * len(METHODS) - own_lists
    assert state() == before


# The tool catalogue: another organisation's private tool, and someone else's proposal, do not exist for a stranger.
TOOL_ROUTES = re.compile(r"tools/<|tool-proposals/<|tools/proposals/<")


def tool_state():
    models = (AITool, ToolProposal, OrganisationToolPolicy)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def test_every_route_of_a_private_tool_or_a_proposal_is_closed_to_strangers(production, producer, outsider):
    tool = catalogue.create_tool(
        actor=producer, organisation=production.organisation, vendor="K&S", product="Previs rig", kind="3d"
    )
    catalogue.set_tool_policy(actor=producer, organisation=production.organisation, tool=tool, status="approved")
    shared = AIToolFactory()
    proposal = catalogue.propose_tool_change(actor=producer, tool=shared, changes={"product": "Renamed"}, reason="r")
    routes = sorted({route for route in _routes(get_resolver().url_patterns) if TOOL_ROUTES.search(route)})
    assert len(routes) >= 10, routes
    before = tool_state()
    page_client = Client()
    page_client.force_login(outsider)
    clients = {"signed out": (Client(), Client()), "other organisation": (page_client, token_client(outsider))}
    failures, checked = [], 0
    for route in routes:
        target = proposal.pk if "proposals/" in route else tool.pk
        url = "/" + re.sub(r"<(?:\w+:)?\w+>", str(target), route).replace("^", "").replace("$", "")
        is_api = url.startswith("/api/")
        for who, (page, api_client) in clients.items():
            for method in METHODS:
                response = getattr(api_client if is_api else page, method)(url)
                checked += 1
                allowed = ({401, 405} if is_api else {302, 405}) if who == "signed out" else {404, 405}
                if response.status_code not in allowed:
                    failures.append(f"{who} {method.upper()} {url}: {response.status_code}")
    print(f"\nCatalogue sweep: {len(routes)} routes, {checked} requests, {len(failures)} let through")
    assert failures == []
    assert tool_state() == before
