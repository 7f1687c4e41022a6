"""The demo data in seeds/data, loaded through the services.

Writing through productions.services validates every record and signs the audit trail with the demo
users, as if they had entered the data themselves: producers record, legal reviews. Every record is
looked up by its natural key first, so loading again creates nothing twice.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model, password_validation
from django.db import transaction

from productions import catalogue, services
from productions import organisations as organisation_services
from productions.models import (
    AITool,
    AIUse,
    Consent,
    LiteracyMeasure,
    Membership,
    Organisation,
    OrganisationMembership,
    Person,
    Production,
)
from productions.vocabularies import OrganisationRole, ProductionCreation, Role

DATA_DIR = Path(__file__).resolve().parent / "data"

# Producers put a consent forward; legal decides on it (domain.md §1).
REVIEW_STEPS = {
    "submit": (services.submit_consent, Role.PRODUCER),
    "approve": (services.approve_consent, Role.LEGAL),
    "reject": (services.reject_consent, Role.LEGAL),
    "request_changes": (services.request_consent_changes, Role.LEGAL),
}


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    roles: list[tuple[Production, str]]
    superuser: bool = False
    organisation_roles: tuple[tuple[Organisation, str], ...] = ()


@dataclass(frozen=True)
class LoadResult:
    created: dict[str, int]
    logins: list[Login]


def _read(path):
    with path.open("rb") as toml_file:
        return tomllib.load(toml_file)


def _seeded_models():
    return {
        "users": get_user_model(),
        "productions": Production,
        "organisations": Organisation,
        "organisation memberships": OrganisationMembership,
        "memberships": Membership,
        "AI tools": AITool,
        "people": Person,
        "consents": Consent,
        "AI uses": AIUse,
        "literacy measures": LiteracyMeasure,
    }


def _counts():
    return {label: model.objects.count() for label, model in _seeded_models().items()}


def load_demo(data_dir: Path = DATA_DIR) -> LoadResult:
    """Load the demo users, tool catalogue and productions; return what was created and the logins."""
    users_data = _read(data_dir / "users.toml")
    tools_data = _read(data_dir / "tools.toml")
    organisations_data = _read(data_dir / "organisations.toml")
    productions_data = {path.stem: _read(path) for path in sorted((data_dir / "productions").glob("*.toml"))}
    with transaction.atomic():
        before = _counts()
        password = users_data["password"]
        users = {entry["username"]: _user(entry, password) for entry in users_data["users"]}
        crews = _crews(users_data["users"], users, productions_data)
        organisations = {handle: _organisation(data, users) for handle, data in organisations_data.items()}
        owners = _owners(organisations_data, organisations, productions_data, crews)
        productions = {
            handle: _production(data["production"], crews[handle], owners[handle])
            for handle, data in productions_data.items()
        }
        # Curators maintain the shared catalogue: the staff "admin" is one; an organisation's owner keeps its own.
        curator = next(users[entry["username"]] for entry in users_data["users"] if entry.get("superuser"))
        tools = {handle: _tool(fields, curator, organisations) for handle, fields in tools_data.items()}
        for handle, data in organisations_data.items():
            _tool_policies(data, organisations[handle], users, tools)
        for handle, data in productions_data.items():
            _records(data, productions[handle], crews[handle], tools)
        after = _counts()
    created = {label: after[label] - before[label] for label in before}
    logins = [
        Login(
            username=entry["username"],
            password=password,
            roles=[(productions[handle], str(Role(role).label)) for handle, role in entry["memberships"].items()],
            superuser=entry.get("superuser", False),
            organisation_roles=tuple(
                (organisations[handle], str(OrganisationRole(data["members"][entry["username"]]).label))
                for handle, data in organisations_data.items()
                if entry["username"] in data["members"]
            ),
        )
        for entry in users_data["users"]
    ]
    return LoadResult(created=created, logins=logins)


def _user(entry, password):
    User = get_user_model()
    user = User.objects.filter(username=entry["username"]).first()
    if user is not None:
        return user
    details = {name: entry[name] for name in ("first_name", "last_name", "email")}
    # create_user does not run the validators; a demo password that production settings refuse would mislead.
    password_validation.validate_password(password, User(username=entry["username"], **details))
    if entry.get("superuser"):
        return User.objects.create_superuser(entry["username"], password=password, **details)
    return User.objects.create_user(entry["username"], password=password, **details)


def _crews(users_data, users, productions_data):
    """For each production: its members by role, in the order users.toml lists them."""
    crews = {handle: {role: [] for role in Role} for handle in productions_data}
    for entry in users_data:
        for handle, role in entry["memberships"].items():
            crews[handle][Role(role)].append(users[entry["username"]])
    for handle, crew in crews.items():
        if not crew[Role.PRODUCER] or not crew[Role.LEGAL]:
            raise ValueError(f"users.toml must give {handle} a producer and a legal reviewer.")
    return crews


def _organisation(data, users):
    members = {users[username]: OrganisationRole(role) for username, role in data["members"].items()}
    founder = next(user for user, role in members.items() if role == OrganisationRole.OWNER)
    organisation = Organisation.objects.filter(name=data["name"]).first()
    if organisation is None:
        organisation = organisation_services.create_organisation(actor=founder, name=data["name"])
        policy = data.get("production_creation", ProductionCreation.ADMINS)
        if policy != organisation.production_creation:
            organisation_services.update_organisation(
                actor=founder, organisation=organisation, production_creation=policy
            )
    for user, role in members.items():
        if not OrganisationMembership.objects.filter(organisation=organisation, user=user).exists():
            organisation_services.add_organisation_member(
                actor=founder, organisation=organisation, user=user, role=role
            )
    return organisation


def _owners(organisations_data, organisations, productions_data, crews):
    """Each production's organisation; everyone on a production must belong to it."""
    owners = {}
    for handle, data in organisations_data.items():
        for production in data["productions"]:
            owners[production] = organisations[handle]
            outside = {user.username for members in crews[production].values() for user in members} - set(
                data["members"]
            )
            if outside:
                raise ValueError(f"organisations.toml must make {sorted(outside)} members of {handle}.")
    if missing := set(productions_data) - set(owners):
        raise ValueError(f"organisations.toml must say which organisation owns {sorted(missing)}.")
    return owners


def _production(fields, crew, organisation):
    creator = crew[Role.PRODUCER][0]
    production = Production.objects.filter(title=fields["title"], year=fields["year"]).first()
    if production is None:
        production = services.create_production(actor=creator, organisation=organisation, **fields)
    for role, members in crew.items():
        for user in members:
            if not Membership.objects.filter(production=production, user=user).exists():
                services.add_member(actor=creator, production=production, user=user, role=role)
    return production


def _tool(fields, curator, organisations):
    fields = dict(fields)
    organisation = organisations[fields.pop("organisation")] if "organisation" in fields else None
    natural_key = {name: fields.get(name, "") for name in ("vendor", "product", "model_name", "model_version")}
    existing = AITool.objects.filter(organisation=organisation, **natural_key).first()
    if existing is not None:
        return existing
    if organisation is None:
        return catalogue.create_tool(actor=curator, reason="demo catalogue", **fields)
    owner = organisation.memberships.filter(role=OrganisationRole.OWNER).order_by("pk").first().user
    return catalogue.create_tool(actor=owner, organisation=organisation, **fields)


def _tool_policies(data, organisation, users, tools):
    owner = users[next(username for username, role in data["members"].items() if role == OrganisationRole.OWNER)]
    for handle, status in data.get("tool_policies", {}).items():
        if not organisation.tool_policies.filter(tool=tools[handle]).exists():
            catalogue.set_tool_policy(actor=owner, organisation=organisation, tool=tools[handle], status=status)


def _records(data, production, crew, tools):
    producer, legal = crew[Role.PRODUCER][0], crew[Role.LEGAL][0]
    people = {handle: _person(fields, production, producer) for handle, fields in data.get("people", {}).items()}
    consents = {
        handle: _consent(dict(fields), people, {Role.PRODUCER: producer, Role.LEGAL: legal})
        for handle, fields in data.get("consents", {}).items()
    }
    for fields in data.get("ai_uses", []):
        _ai_use(dict(fields), production, producer, tools, people, consents)
    for fields in data.get("literacy_measures", []):
        _literacy_measure(fields, production, producer)


def _person(fields, production, actor):
    person = Person.objects.filter(production=production, name=fields["name"]).first()
    return person or services.create_person(actor=actor, production=production, **fields)


def _consent(fields, people, actors):
    person = people[fields.pop("person")]
    review = fields.pop("review", [])
    revoked_on = fields.pop("revoked_on", None)
    consent = Consent.objects.filter(
        person=person, kind=fields["kind"], scope_description=fields["scope_description"]
    ).first()
    if consent is not None:
        return consent
    consent = services.create_consent(actor=actors[Role.PRODUCER], person=person, **fields)
    for step in review:
        transition, role = REVIEW_STEPS[step["step"]]
        reason = {"reason": step["reason"]} if "reason" in step else {}
        consent = transition(actor=actors[role], consent=consent, **reason)
    if revoked_on is not None:
        # Withdrawal letters reach business affairs, who record them.
        consent = services.revoke_consent(actor=actors[Role.LEGAL], consent=consent, on=revoked_on)
    return consent


def _ai_use(fields, production, actor, tools, people, consents):
    if not fields.get("external_id"):
        raise ValueError(f"Seeded AI use {fields.get('title')!r} needs an external_id: it is how reloads find it.")
    ai_use = AIUse.objects.filter(production=production, external_id=fields["external_id"]).first()
    if ai_use is not None:
        return ai_use
    tool = tools[fields.pop("tool")]
    depicted = [people[handle] for handle in fields.pop("people", [])]
    relied_on = [consents[handle] for handle in fields.pop("consents", [])]
    return services.create_ai_use(
        actor=actor, production=production, tool=tool, people=depicted, consents=relied_on, **fields
    )


def _literacy_measure(fields, production, actor):
    measure = LiteracyMeasure.objects.filter(
        production=production, held_on=fields["held_on"], kind=fields["kind"]
    ).first()
    return measure or services.create_literacy_measure(actor=actor, production=production, **fields)
