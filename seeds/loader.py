"""The demo data in seeds/data, loaded through the services.

Writing through productions.services validates every record and signs the audit trail with the demo
users, as if they had entered the data themselves: producers record, legal reviews. Every record is
looked up by its natural key first, so loading again creates nothing twice.

The consents' story is dated as the seed files tell it: each review step, coverage decision and withdrawal
is dated on its day (its audit entry, the record's timestamps and what it notified), so that no consent reads
as reviewed after it expired or was withdrawn. A step out of order in a seed file is refused.
"""

import datetime
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model, password_validation
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from productions import catalogue, imports, services
from productions import organisations as organisation_services
from productions.models import (
    AITool,
    AIUse,
    BlockedUse,
    Consent,
    CoverageDecision,
    ImportBatch,
    LiteracyMeasure,
    Membership,
    Notification,
    Organisation,
    OrganisationMembership,
    Person,
    Production,
)
from productions.vocabularies import OrganisationRole, ProductionCreation, Role
from seeds import documents

DATA_DIR = Path(__file__).resolve().parent / "data"

# Producers put a consent forward; legal decides on it (domain.md §1). Each step may carry these options.
REVIEW_STEPS = {
    "submit": (services.submit_consent, Role.PRODUCER, ()),
    "approve": (services.approve_consent, Role.LEGAL, ("not_separately_signed_reason",)),
    "reject": (services.reject_consent, Role.LEGAL, ("reason",)),
    "request_changes": (services.request_consent_changes, Role.LEGAL, ("reason",)),
}
# Told in a consent's table, done once the uses relying on it are recorded.
WITHDRAWAL = ("revoked_on", "revocation_reason", "withdrawal_document")
# The records whose audit entries and timestamps a dated step sets to its day.
DATED_RECORDS = (Consent, CoverageDecision, AIUse)
TIMESTAMPS = ("created_at", "updated_at", "reviewed_at", "decided_at")


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
            _imports(data, productions[handle], crews[handle], data_dir / "imports")
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
    actors = {Role.PRODUCER: crew[Role.PRODUCER][0], Role.LEGAL: crew[Role.LEGAL][0]}
    producer = actors[Role.PRODUCER]
    people = {handle: _person(fields, production, producer) for handle, fields in data.get("people", {}).items()}
    consents = {
        handle: _consent(handle, dict(fields), people, actors) for handle, fields in data.get("consents", {}).items()
    }
    for fields in data.get("ai_uses", []):
        _ai_use(dict(fields), production, actors, tools, people, consents)
    # Withdrawn after the uses relying on them were recorded and their coverage decided, as happened.
    for handle, fields in data.get("consents", {}).items():
        if "revoked_on" in fields:
            _withdrawal(fields, consents[handle], actors[Role.LEGAL])
    for fields in data.get("literacy_measures", []):
        _literacy_measure(fields, production, producer)


def _imports(data, production, crew, folder):
    """Import the production's shot lists through the import service, as the producer did on the day."""
    for fields in data.get("imports", []):
        if ImportBatch.objects.filter(production=production, file_name=fields["file"]).exists():
            continue
        table = imports.read_table((folder / fields["file"]).read_bytes(), fields["file"])
        with _as_of(fields["on"]):
            plan = imports.commit_import(
                actor=crew[Role.PRODUCER][0],
                production=production,
                table=table,
                mapping=imports.initial_mapping(table.headers, fields["source"]),
                fixed=fields.get("fixed"),
                source=fields["source"],
            )
        moment = timezone.make_aware(datetime.datetime.combine(fields["on"], datetime.time(10)))
        ImportBatch.objects.filter(pk=plan.batch.pk).update(imported_at=moment)


def _person(fields, production, actor):
    person = Person.objects.filter(production=production, name=fields["name"]).first()
    return person or services.create_person(actor=actor, production=production, **fields)


def _consent(handle, fields, people, actors):
    person = people[fields.pop("person")]
    review = fields.pop("review", [])
    assignment = fields.pop("assignment", None)
    recorded_on = fields.pop("recorded_on", fields.get("signed_on"))
    withdrawal = {name: fields.pop(name) for name in WITHDRAWAL if name in fields}
    _check_timeline(handle, recorded_on, review, assignment, fields.get("expires_on"), withdrawal.get("revoked_on"))
    consent = Consent.objects.filter(
        person=person, kind=fields["kind"], scope_description=fields["scope_description"]
    ).first()
    if consent is not None:
        return consent
    producer = actors[Role.PRODUCER]
    with _as_of(recorded_on):
        consent = services.create_consent(actor=producer, person=person, **fields)
        if consent.signed_on:
            # Approving needs the signed document: the producer attaches it before putting the consent forward.
            document = documents.signed_consent(consent)
            consent = services.attach_consent_document(actor=producer, consent=consent, uploaded_file=document)
    for step in review:
        transition, role, options = REVIEW_STEPS[step["step"]]
        with _as_of(step["on"]):
            consent = transition(
                actor=actors[role], consent=consent, **{name: step[name] for name in options if name in step}
            )
    if assignment is not None:
        # A due date "in so many days" keeps a review due, not overdue, whenever the demo is loaded.
        due_on = assignment.get("due_on") or timezone.localdate() + datetime.timedelta(days=assignment["due_in_days"])
        with _as_of(assignment["on"]):
            legal = actors[Role.LEGAL]
            consent = services.assign_review(actor=legal, consent=consent, assignee=legal, due_on=due_on)
    return consent


def _check_timeline(handle, recorded_on, review, assignment, expires_on, revoked_on):
    """A consent's steps in date order, none after it expired or was withdrawn: the demo tells a possible story."""
    days = [recorded_on, *(step["on"] for step in review), *([assignment["on"]] if assignment else [])]
    if None in days[1:]:
        raise ValueError(f"Consent {handle!r}: date every review step and the assignment (on = ...).")
    if days[1:] and days[0] is None:
        raise ValueError(f"Consent {handle!r}: a reviewed consent needs its signed_on or recorded_on date.")
    if days != sorted(days, key=lambda day: day or datetime.date.min):
        raise ValueError(f"Consent {handle!r}: its review steps must be in date order, after it was recorded.")
    for end, what in ((expires_on, "expired"), (revoked_on, "was withdrawn")):
        if end is not None and any(day > end for day in days if day):
            raise ValueError(f"Consent {handle!r}: reviewed after it {what}.")


def _withdrawal(fields, consent, actor):
    """Withdrawal letters reach business affairs, who record them with their reason and, kept private, the letter."""
    if consent.revoked_on is not None:
        return
    on = fields["revoked_on"]
    letter = documents.written_withdrawal(consent, on) if fields.get("withdrawal_document") else None
    with _as_of(on):
        services.revoke_consent(
            actor=actor, consent=consent, on=on, reason=fields["revocation_reason"], withdrawal_document=letter
        )


def _ai_use(fields, production, actors, tools, people, consents):
    if not fields.get("external_id"):
        raise ValueError(f"Seeded AI use {fields.get('title')!r} needs an external_id: it is how reloads find it.")
    ai_use = AIUse.objects.filter(production=production, external_id=fields["external_id"]).first()
    if ai_use is not None:
        return ai_use
    tool = tools[fields.pop("tool")]
    depicted = [people[handle] for handle in fields.pop("people", [])]
    relied_on = [consents[handle] for handle in fields.pop("consents", [])]
    coverage = fields.pop("coverage", [])
    recorded_on = fields.pop("recorded_on", fields.get("used_from"))
    with _as_of(recorded_on):
        ai_use = services.create_ai_use(
            actor=actors[Role.PRODUCER],
            production=production,
            tool=tool,
            people=depicted,
            consents=relied_on,
            **fields,
        )
    for entry in coverage:
        if recorded_on and entry["on"] < recorded_on:
            raise ValueError(f"AI use {ai_use.external_id!r}: coverage decided before the use was recorded.")
        with _as_of(entry["on"]):
            services.decide_coverage(
                actor=actors[Role.LEGAL],
                consent=consents[entry["consent"]],
                ai_uses=[ai_use],
                decision=entry["decision"],
                note=entry.get("note", ""),
            )
    return ai_use


def _last(queryset, field):
    return queryset.aggregate(last=Max(field))["last"] or 0


@contextmanager
def _as_of(day):
    """Date what the block writes on `day` (at 10:00): the audit entries and timestamps of consents, coverage
    decisions and uses, the notifications it sent and the blocks it found. The demo's past events are in the
    inbox as read history: marked e-mailed, so loading the demo e-mails nobody about them."""
    if day is None:
        yield
        return
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    marks = {model: _last(model.history, "history_id") for model in DATED_RECORDS}
    last_notification = _last(Notification.objects, "pk")
    blocks_before = set(BlockedUse.objects.values_list("ai_use_id", "since"))
    started = timezone.now()
    yield
    for model, mark in marks.items():
        entries = model.history.filter(history_id__gt=mark)
        written = set(entries.values_list("id", flat=True))
        entries.update(history_date=moment)
        for name in TIMESTAMPS:
            if any(field.name == name for field in model._meta.concrete_fields):
                later = {f"{name}__gte": started}
                model.objects.filter(pk__in=written, **later).update(**{name: moment})
                entries.filter(**later).update(**{name: moment})
    Notification.objects.filter(pk__gt=last_notification).update(created_at=moment, emailed_at=moment)
    for ai_use_id, since in BlockedUse.objects.values_list("ai_use_id", "since"):
        if (ai_use_id, since) not in blocks_before:
            BlockedUse.objects.filter(ai_use_id=ai_use_id).update(since=day)


def _literacy_measure(fields, production, actor):
    measure = LiteracyMeasure.objects.filter(
        production=production, held_on=fields["held_on"], kind=fields["kind"]
    ).first()
    return measure or services.create_literacy_measure(actor=actor, production=production, **fields)
