"""Signing in, the list of one's productions, and a production's dashboard."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from productions.models import AIUse
from productions.vocabularies import (
    ConsentKind,
    DeepFake,
    Department,
    DigitalSourceType,
    OutputType,
    PerformerUse,
    Phase,
    ReviewState,
    Role,
)
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    ConsentFactory,
    MembershipFactory,
    PersonFactory,
    ProductionFactory,
    UserFactory,
)


def dashboard_url(production):
    return reverse("productions:dashboard", args=[production.pk])


@pytest.fixture
def blocked_use(production):
    """A use depicting a performer with no consent at all."""
    return AIUseFactory(
        production=production,
        title="Lip movements reshaped",
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[PersonFactory(production=production)],
    )


# Signing in and out


def test_the_sign_in_page_explains_a_wrong_password(client, producer):
    response = client.post(reverse("login"), {"username": "paula", "password": "not it"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert 'role="alert"' in response.text


def test_signing_in_leads_to_the_productions(client, producer):
    response = client.post(reverse("login"), {"username": "paula", "password": "correct horse battery staple"})

    assert response.status_code == 302
    assert response.url == reverse("productions:home")


def test_signing_out_takes_a_post_and_ends_the_session(client, producer):
    client.force_login(producer)

    response = client.post(reverse("logout"))

    assert response.status_code == 200
    assert reverse("login") in response.content.decode()
    assert client.get(reverse("productions:home")).status_code == 302


def test_a_signed_in_user_opens_the_password_change_form(client, producer):
    client.force_login(producer)

    response = client.get(reverse("password_change"))

    assert response.status_code == 200
    assert "Change your password" in response.text


def test_a_forgotten_password_is_reset_through_a_link_sent_by_email(client, producer):
    response = client.post(reverse("password_reset"), {"email": producer.email})

    assert response.status_code == 302
    assert "Check your e-mail" in client.get(response.url).text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Choose a new Reelproof password"
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    choose = client.get(link, follow=True)
    assert "Choose a new password" in choose.text

    done = client.post(
        choose.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase 2026", "new_password2": "a new long passphrase 2026"},
        follow=True,
    )

    assert "Your new password is set" in done.text
    assert client.login(username="paula", password="a new long passphrase 2026")


def test_an_old_reset_link_says_it_no_longer_works(client, producer):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "set-password"]))

    assert "This link no longer works" in response.text


# Home


def test_home_lists_only_the_users_productions_with_their_role(client, production, legal, outsider):
    MembershipFactory(production=ProductionFactory(title="The Letters of Ilse Varga"), user=legal, role=Role.VIEWER)
    ProductionFactory(title="Nobody's business")
    client.force_login(legal)

    response = client.get(reverse("productions:home"))

    listed = [(p.title, p.role_label) for p in response.context["productions"]]
    assert sorted(listed) == [("El Eternauta", "Legal reviewer"), ("The Letters of Ilse Varga", "Viewer")]
    assert "Nobody&#x27;s business" not in response.text
    assert "Legal reviewer" in response.text


def test_home_counts_each_productions_uses_and_blocked_uses(client, producer, production, blocked_use):
    AIUseFactory(production=production)
    AIUseFactory(production=ProductionFactory())
    client.force_login(producer)

    response = client.get(reverse("productions:home"))

    [listed] = response.context["productions"]
    assert (listed.use_count, listed.blocked_count) == (2, 1)
    assert f"{reverse('productions:ledger', args=[production.pk])}?consent_status=blocked" in response.text


def test_home_tells_a_user_without_production_what_to_do(client, db):
    client.force_login(UserFactory(username="newcomer"))

    response = client.get(reverse("productions:home"))

    assert response.status_code == 200
    assert "No production yet" in response.text


def test_home_needs_signing_in(client, db):
    response = client.get(reverse("productions:home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


HOME_QUERIES = 6
STATUS_RECOMPUTE_QUERIES = 12


def test_home_costs_the_same_queries_for_many_productions(client, producer, django_assert_max_num_queries):
    for _ in range(5):
        production = MembershipFactory(user=producer).production
        AIUseFactory(production=production, performer_use=PerformerUse.VOICE_CLONE)
    client.force_login(producer)

    # The first view after these writes brings the kept consent statuses of all five productions up to date at once
    # (productions.kept_statuses): their revisions, the statuses' six, the uses' productions, the kept rows and
    # the writes of the changed ones and of the snapshots, in a transaction.
    with django_assert_max_num_queries(HOME_QUERIES + STATUS_RECOMPUTE_QUERIES):
        client.get(reverse("productions:home"))
    # Then: session, user, the productions with their counts, their revisions, the blocked uses counted by
    # production and the unread notifications.
    with django_assert_max_num_queries(HOME_QUERIES):
        client.get(reverse("productions:home"))


# Dashboard


@pytest.mark.parametrize("role", ["producer", "legal", "viewer"])
def test_every_member_sees_the_dashboard(request, client, production, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(dashboard_url(production))

    assert response.status_code == 200
    assert "El Eternauta" in response.text


def test_the_record_button_is_for_producers(client, production, producer, viewer):
    client.force_login(producer)
    assert reverse("productions:ai-use-create", args=[production.pk]) in client.get(dashboard_url(production)).text

    client.force_login(viewer)
    assert reverse("productions:ai-use-create", args=[production.pk]) not in client.get(dashboard_url(production)).text


def test_an_outsider_is_told_the_dashboard_does_not_exist(client, production, outsider):
    client.force_login(outsider)

    assert client.get(dashboard_url(production)).status_code == 404


def test_the_dashboard_needs_signing_in(client, production):
    response = client.get(dashboard_url(production))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_dashboard_counts_uses_by_phase_deep_fakes_blocks_reviews_and_tools(
    client, viewer, production, blocked_use
):
    runway = AIToolFactory(vendor="Runway", product="Gen-4")
    AIUseFactory(production=production, tool=runway, deep_fake=DeepFake.YES)
    AIUseFactory(production=production, tool=runway, deep_fake=DeepFake.YES, is_final=False)
    AIUseFactory(production=production, tool=None, phase=Phase.PRE_PRODUCTION, is_final=False)
    AIUseFactory(production=ProductionFactory(), deep_fake=DeepFake.YES)  # another production's
    ConsentFactory(person=PersonFactory(production=production), review_state=ReviewState.SUBMITTED)
    ConsentFactory(person=PersonFactory(production=production), review_state=ReviewState.DRAFT)
    client.force_login(viewer)

    response = client.get(dashboard_url(production))

    context = response.context
    assert [(row["phase"], row["total"], row["final"], row["temporary"]) for row in context["phases"]] == [
        (Phase.PRE_PRODUCTION, 1, 0, 1),
        (Phase.VFX, 3, 2, 1),
    ]
    assert context["use_count"] == 4
    assert context["final_deep_fakes"] == 1
    assert context["blocked_count"] == 1
    assert context["consents_submitted"] == 1
    assert context["without_tool"] == 1
    assert [(tool.product, tool.use_count) for tool in context["tools"]][0] == ("Gen-4", 2)
    ledger = reverse("productions:ledger", args=[production.pk])
    assert f"{ledger}?consent_status=blocked" in response.text
    assert f"{ledger}?tool={runway.pk}" in response.text
    assert f"{ledger}?phase=vfx&amp;is_final=true" in response.text
    assert f"{ledger}?deep_fake=yes&amp;is_final=true" in response.text


def test_a_consent_pending_review_does_not_count_as_blocking(client, viewer, production):
    person = PersonFactory(production=production)
    AIUseFactory(
        production=production,
        performer_use=PerformerUse.VOICE_CLONE,
        people=[person],
        consents=[
            ConsentFactory(
                person=person,
                kind=ConsentKind.INDEPENDENT_REPLICA,
                covers_voice=True,
                covers_likeness=False,
                review_state=ReviewState.SUBMITTED,
            )
        ],
    )
    client.force_login(viewer)

    context = client.get(dashboard_url(production)).context

    assert (context["blocked_count"], context["pending_review_uses"]) == (0, 1)


def many_uses(production, count):
    tools = [AIToolFactory() for _ in range(3)]
    person = PersonFactory(production=production)
    consent = ConsentFactory(
        person=person,
        review_state=ReviewState.APPROVED,
        reviewed_at=timezone.now(),
        expires_on=datetime.date(2026, 3, 31),
    )
    uses = AIUse.objects.bulk_create(
        AIUse(
            production=production,
            phase=Phase.values[number % len(Phase.values)],
            department=Department.VFX,
            title=f"Use {number}",
            tool=tools[number % 3],
            output_type=OutputType.VIDEO,
            digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
            is_final=bool(number % 2),
            performer_use=PerformerUse.DIGITAL_ALTERATION,
        )
        for number in range(count)
    )
    AIUse.people.through.objects.bulk_create(
        AIUse.people.through(aiuse_id=ai_use.pk, person_id=person.pk) for ai_use in uses
    )
    AIUse.consents.through.objects.bulk_create(
        AIUse.consents.through(aiuse_id=ai_use.pk, consent_id=consent.pk) for ai_use in uses
    )


# Session, user, production and role, uses by phase, the revision the kept consent statuses are checked against,
# the statuses counted, submitted consents, the unread notifications, the uses counted by tool and those tools.
DASHBOARD_QUERIES = 10


@pytest.mark.parametrize("count", [20, 300])
def test_the_dashboard_costs_the_same_queries_whatever_the_ledger_size(
    client, producer, production, django_assert_max_num_queries, count
):
    many_uses(production, count)
    client.force_login(producer)
    # The first view after the writes recomputes the kept statuses: a few queries more, as many for 300 uses as for 20.
    with django_assert_max_num_queries(DASHBOARD_QUERIES + STATUS_RECOMPUTE_QUERIES):
        client.get(dashboard_url(production))

    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(dashboard_url(production))

    assert response.context["use_count"] == count
