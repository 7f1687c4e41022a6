"""The checklist page and the statement preview at scale: cached per records revision, date and language, and
summarised (the first entries of each list, their count, and a paginated list of all of them), while the
documents themselves stay exactly what the builders make."""

import dataclasses
import datetime
import pickle
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from disclosure import views, views_checklist
from disclosure.checklist import assess
from disclosure.documents import page_cache
from disclosure.statement import Statement, Use, build_statement
from productions.models import Production
from productions.vocabularies import (
    ConsentKind,
    DeepFake,
    DigitalSourceType,
    DisclosureMethod,
    OutputType,
    PerformerUse,
    Phase,
    ReviewState,
)
from seeds.loader import load_demo
from tests.factories import AIToolFactory, AIUseFactory, ConsentFactory, LiteracyMeasureFactory, PersonFactory

DATES = [datetime.date(2025, 3, 1), datetime.date(2026, 8, 2), datetime.date(2027, 9, 1)]
ITEM = "deep-fake-disclosure"


def as_use(use):
    """A use of the cached statement (a row) as the builder's Use."""
    return use if isinstance(use, Use) else Use(*use)


def properties(cls):
    return [name for name, value in vars(cls).items() if isinstance(value, property)]


def as_shown(statement):
    """What the preview shows of a statement: its fields and figures, and the length and first entries of each
    list (with the labels of its first uses)."""

    def first(entries, as_entry=lambda entry: entry):
        return len(entries), [as_entry(entry) for entry in entries[: page_cache.SHOWN]]

    authorship = statement.authorship
    lists = {"authorship", "phases", "performers", "audience", "tools"}
    return {
        **{
            field.name: getattr(statement, field.name)
            for field in dataclasses.fields(Statement)
            if field.name not in lists
        },
        **{name: getattr(statement, name) for name in properties(Statement)},
        "authorship": {
            **{name: getattr(authorship, name) for name in ("screenplay_credit", "screenplay_human_authored")},
            "performances_by_humans": authorship.performances_by_humans,
            "every_exception_consented": authorship.every_exception_consented,
            "exceptions_without_valid_consent": authorship.exceptions_without_valid_consent,
            "exceptions": first(authorship.exceptions),
            "screenplay_ai_text": first(authorship.screenplay_ai_text),
        },
        "phases": [(group.phase, group.label, first(group.uses, as_use)) for group in statement.phases],
        "use labels": [use.generation_label for group in statement.phases for use in group.uses[: page_cache.SHOWN]],
        "performers": first(statement.performers),
        "audience": [
            (entry.method, entry.use_count, entry.use_titles[: page_cache.SHOWN]) for entry in statement.audience
        ],
        "tools": first(statement.tools),
    }


def every_entry(entries):
    return list(entries[0 : len(entries)])


def statement_lists(statement):
    """Every list of the statement's annex as its list pages show it, by part and what it is of."""
    authorship = statement.authorship
    return {
        **{("uses", group.phase): [as_use(use) for use in group.uses] for group in statement.phases},
        **{("audience", entry.method): list(entry.use_titles) for entry in statement.audience},
        ("exceptions", ""): list(authorship.exceptions),
        ("screenplay-text", ""): list(authorship.screenplay_ai_text_titles),
        ("performers", ""): list(statement.performers),
        ("tools", ""): list(statement.tools),
    }


def shortened(checklist):
    """The checklist as its page keeps it: each item's first records, and their number."""
    items = [
        {**item, "records": item["records"][: page_cache.SHOWN], "record_count": len(item["records"])}
        for item in checklist["items"]
    ]
    return {**checklist, "items": items}


def assert_pages_hold_the_documents(production, dates=DATES):
    for on in [None, *dates]:
        on = on or production.eu_release_date or datetime.date.today()
        for language in ("en", "fr"):
            with translation.override(language):
                fresh_checklist = assess(production, on=on).as_data()
                fresh_statement = build_statement(production, on=on)
                for _built_then_cached in range(2):
                    checklist = page_cache.checklist_summary(production, on)
                    assert checklist == shortened(fresh_checklist)
                    assert [
                        every_entry(page_cache.checklist_records(production, on, item["id"])[1])
                        for item in checklist["items"]
                    ] == [item["records"] for item in fresh_checklist["items"]]
                    assert as_shown(page_cache.statement_summary(production, on)) == as_shown(fresh_statement)
                    lists = statement_lists(fresh_statement)
                    assert {
                        (part, of): [as_use(entry) if part == "uses" else entry for entry in every_entry(entries)]
                        for (part, of) in lists
                        for entries, _label in [page_cache.statement_list(production, on, part, of)]
                    } == lists


@pytest.fixture
def generated(production):
    """Every kind of list the documents hold: uses in several phases, deep fakes told and untold, a voice clone
    with consent and a replica without, temporary uses, tools, a literacy measure."""
    runway = AIToolFactory(vendor="Runway", product="Runway", model_name="Gen-4")
    firefly = AIToolFactory(vendor="Adobe", product="Firefly", model_name="Image Model", model_version="4")
    singer = PersonFactory(production=production, name="Inés Duarte", role="Elena")
    double = PersonFactory(production=production, name="Juan Salvo", role="Juan")
    consent = ConsentFactory(
        person=singer,
        kind=ConsentKind.INDEPENDENT_REPLICA,
        covers_voice=True,
        covers_likeness=False,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        expires_on=datetime.date(2027, 3, 1),
    )
    AIUseFactory(
        production=production,
        phase=Phase.VOICE_DUBBING,
        title="Elena's song",
        tool=runway,
        performer_use=PerformerUse.VOICE_CLONE,
        people=[singer],
        consents=[consent],
        disclosure_method=DisclosureMethod.OPENING_CARD,
    )
    AIUseFactory(
        production=production, title="Juan's double", performer_use=PerformerUse.INDEPENDENT_REPLICA, people=[double]
    )
    for n in range(12):
        AIUseFactory(
            production=production,
            phase=[Phase.VFX, Phase.SET_DESIGN, Phase.DEVELOPMENT][n % 3],
            title=f"Shot {n:02}",
            tool=[runway, firefly, None][n % 3],
            deep_fake=[DeepFake.YES, DeepFake.NO, DeepFake.NOT_DETERMINED][n % 3],
            disclosure_method=[DisclosureMethod.NONE, DisclosureMethod.END_CREDITS][n % 2],
            output_type=OutputType.TEXT if n % 3 == 2 else OutputType.VIDEO,
            digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
        )
    AIUseFactory(production=production, phase=Phase.PRE_PRODUCTION, is_final=False, title="Previs", tool=firefly)
    LiteracyMeasureFactory(production=production)
    production.eu_release_date = datetime.date(2026, 10, 1)
    production.save()
    return production


# The documents are what the builders make


def test_the_pages_show_the_documents_of_the_demo_productions_as_built(db):
    load_demo()

    for production in Production.objects.order_by("pk"):
        assert_pages_hold_the_documents(production, dates=DATES[1:2])


def test_the_pages_show_generated_documents_as_built_at_every_date_in_both_languages(generated):
    assert_pages_hold_the_documents(generated)


def test_a_statement_row_has_every_label_of_a_use():
    labels = {name for name, value in vars(Use).items() if isinstance(value, property)}

    assert labels and all(isinstance(getattr(page_cache.UseRow, name), property) for name in labels)
    assert page_cache.UseRow._fields == tuple(field.name for field in dataclasses.fields(Use))


# The cache


@pytest.fixture
def builds(monkeypatch):
    """How many times each document was built."""
    counts = {"checklist": 0, "statement": 0}

    def counting(kind, build):
        def counted(*args, **kwargs):
            counts[kind] += 1
            return build(*args, **kwargs)

        return counted

    monkeypatch.setattr(page_cache, "assess", counting("checklist", page_cache.assess))
    monkeypatch.setattr(page_cache, "build_statement", counting("statement", page_cache.build_statement))
    return counts


def article(page):
    return page[page.index("<article") : page.index("</article>")]


def queries_of(client, url, **query):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode(), len(context.captured_queries)


def test_a_second_view_of_the_same_records_on_the_same_date_builds_nothing(client, generated, viewer, builds):
    client.force_login(viewer)
    checklist = reverse("disclosure:checklist", args=[generated.pk])
    statement = reverse("disclosure:statement", args=[generated.pk])

    first, built_queries = queries_of(client, checklist)
    second, cached_queries = queries_of(client, checklist)
    queries_of(client, statement)
    queries_of(client, statement, lang="fr")  # the statement keeps codes: one entry serves both languages

    assert article(first) == article(second)
    assert builds == {"checklist": 1, "statement": 1}
    assert cached_queries < built_queries
    queries_of(client, checklist, on="2027-09-01")  # another date is another checklist
    assert builds["checklist"] == 2


def test_a_write_between_two_views_shows_the_new_result(client, generated, viewer, builds):
    client.force_login(viewer)
    checklist = reverse("disclosure:checklist", args=[generated.pk])
    statement = reverse("disclosure:statement", args=[generated.pk])
    before, _ = queries_of(client, checklist)
    queries_of(client, statement)

    AIUseFactory(production=generated, title="Late deep fake", deep_fake=DeepFake.YES)

    after, _ = queries_of(client, checklist)
    preview, _ = queries_of(client, statement)
    assert builds == {"checklist": 2, "statement": 2}
    assert "Late deep fake" not in before and "Late deep fake" in after
    assert "Late deep fake" in preview


def test_attesting_and_withdrawing_build_the_checklist_anew(client, generated, legal, builds):
    client.force_login(legal)
    on = datetime.date(2026, 10, 1)
    client.get(reverse("disclosure:checklist", args=[generated.pk]))

    response = client.post(
        reverse("disclosure:checklist-attest", args=[generated.pk, ITEM]),
        {f"{ITEM}-status": "met", f"{ITEM}-comment": "Cards added to the print.", "on": ""},
    )
    assert response.status_code == 302
    attested = {item["id"]: item for item in page_cache.checklist_summary(generated, on)["items"]}[ITEM]
    assert attested["attestation"]["comment"] == "Cards added to the print."
    assert "Cards added to the print." in client.get(response.url).content.decode()

    client.post(reverse("disclosure:checklist-withdraw", args=[generated.pk, ITEM]), {"on": ""})
    withdrawn = {item["id"]: item for item in page_cache.checklist_summary(generated, on)["items"]}[ITEM]
    assert withdrawn["attestation"] is None
    assert builds["checklist"] == 3


# The checklist page names the first records and links to all of them


@pytest.fixture
def many_deep_fakes(production):
    AIUseFactory.create_batch(
        23, production=production, deep_fake=DeepFake.YES, disclosure_method=DisclosureMethod.NONE
    )
    return production


def records_url(production, item_id=ITEM, **query):
    return reverse("disclosure:checklist-records", args=[production.pk, item_id]) + (
        "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else ""
    )


def test_the_checklist_page_names_the_first_records_and_how_many_there_are(client, many_deep_fakes, viewer):
    client.force_login(viewer)

    page = client.get(reverse("disclosure:checklist", args=[many_deep_fakes.pk]), {"on": "2026-09-01"})

    text = page.content.decode()
    item = text.split(f'id="item-{ITEM}"')[1].split('<li class="checklist-item')[0]
    assert "10 of 23 records shown." in item
    assert f'href="{records_url(many_deep_fakes, on="2026-09-01")}"' in item
    assert len(re.findall(r'<a href="/productions/\d+/uses/\d+/">', item)) == 10  # each named use links to its page
    assert "checklist-attest-form" not in text  # a viewer reads, legal attests


def test_every_record_a_finding_names_is_reached_through_the_paginated_list(
    client, many_deep_fakes, viewer, monkeypatch
):
    monkeypatch.setattr(views_checklist, "RECORDS_PER_PAGE", 10)
    monkeypatch.setattr(page_cache, "CHUNK", 3)  # pages that start and end inside a chunk of the cache
    client.force_login(viewer)
    named = {
        record["label"]
        for item in assess(many_deep_fakes, on=datetime.date(2026, 9, 1)).as_data()["items"]
        if item["id"] == ITEM
        for record in item["records"]
    }

    reached = set()
    for number in (1, 2, 3):
        text = client.get(records_url(many_deep_fakes, on="2026-09-01", page=number)).content.decode()
        assert "The finding names 23 records." in text
        assert f"Page {number} of 3" in text
        reached |= set(re.findall(r'<a href="/productions/\d+/uses/\d+/">([^<]+)</a>', text))

    assert len(named) == 23 and reached == named


def test_the_list_of_records_refuses_outsiders_and_anonymous_visitors(client, many_deep_fakes, outsider):
    assert client.get(records_url(many_deep_fakes)).status_code == 302
    client.force_login(outsider)
    assert client.get(records_url(many_deep_fakes)).status_code == 404


def test_an_unknown_item_has_no_list_of_records(client, many_deep_fakes, viewer):
    client.force_login(viewer)

    assert client.get(records_url(many_deep_fakes, item_id="no-such-item")).status_code == 404
    assert client.post(records_url(many_deep_fakes)).status_code == 405


# The statement preview names the first entries of each list and links to all of them


@pytest.fixture
def long_statement(production):
    AIUseFactory.create_batch(
        13, production=production, phase=Phase.VFX, deep_fake=DeepFake.YES, disclosure_method=DisclosureMethod.NONE
    )
    person = PersonFactory(production=production, name="Juan Salvo")
    AIUseFactory.create_batch(
        12,
        production=production,
        phase=Phase.SET_DESIGN,
        performer_use=PerformerUse.INDEPENDENT_REPLICA,
        people=[person],
    )
    return production


def statement_list_url(production, part, **query):
    return reverse("disclosure:statement-list", args=[production.pk, part]) + (
        "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else ""
    )


def test_the_preview_names_the_first_entries_of_each_list_with_their_count(client, long_statement, viewer):
    client.force_login(viewer)

    text = client.get(reverse("disclosure:statement", args=[long_statement.pk]), {"on": "2026-11-20"}).content.decode()

    assert text.count('<div class="use">') == 20  # ten of each phase
    assert text.count("10 of 13 shown.") == 1  # the VFX uses
    assert text.count("10 of 12 shown.") == 3  # the set design uses, their performers and exceptions
    assert text.count('<div class="performer-work">') == 10
    assert text.count("10 of 25 shown.") == 2  # the uses the audience is not told about, and a tool for each
    assert "<td>13</td>" in text and "<td>25</td>" in text  # the summary counts every use
    links = set(re.findall(r'href="(/productions/\d+/disclosure/statement/[a-z-]+/\?[^"]+)"', text))
    assert (
        statement_list_url(long_statement, "uses", on="2026-11-20", lang="en", of="vfx").replace("&", "&amp;") in links
    )
    assert statement_list_url(long_statement, "performers", on="2026-11-20", lang="en").replace("&", "&amp;") in links


@pytest.mark.parametrize(
    ("part", "of", "count"),
    [
        ("uses", "vfx", 13),
        ("uses", "set_design", 12),
        ("performers", "", 12),
        ("exceptions", "", 12),
        ("audience", "none", 25),
    ],
)
def test_every_entry_of_the_statement_is_reached_through_the_paginated_list(
    client, long_statement, viewer, monkeypatch, part, of, count
):
    monkeypatch.setattr(views, "STATEMENT_PER_PAGE", 5)
    monkeypatch.setattr(page_cache, "CHUNK", 3)  # pages that start and end inside a chunk of the cache
    client.force_login(viewer)
    statement = build_statement(long_statement, on=datetime.date(2026, 11, 20))
    expected = {
        "uses": [use.title for group in statement.phases if group.phase == of for use in group.uses],
        "performers": [work.use_title for work in statement.performers],
        "exceptions": [exception.use_title for exception in statement.authorship.exceptions],
        "audience": [title for entry in statement.audience if entry.method == of for title in entry.use_titles],
    }[part]

    reached = []
    pages = -(-count // 5)
    for number in range(1, pages + 1):
        text = client.get(
            statement_list_url(long_statement, part, on="2026-11-20", of=of, page=number)
        ).content.decode()
        assert f"{count} entries in the statement as of 20 November 2026." in text
        assert f"Page {number} of {pages}" in text
        reached += re.findall(r"AI use \d+", text)

    assert len(expected) == count and sorted(set(reached)) == sorted(expected)


def test_the_lists_of_the_statement_speak_its_language(client, long_statement, viewer):
    client.force_login(viewer)

    text = client.get(statement_list_url(long_statement, "uses", of="vfx", lang="fr", on="2026-11-20")).content.decode()

    assert "20 novembre 2026" in text and "<dt>Outil</dt>" in text


def test_the_lists_of_the_statement_refuse_outsiders_and_unknown_lists(client, long_statement, outsider, viewer):
    assert client.get(statement_list_url(long_statement, "tools")).status_code == 302
    client.force_login(outsider)
    assert client.get(statement_list_url(long_statement, "tools")).status_code == 404

    client.force_login(viewer)
    assert client.get(statement_list_url(long_statement, "tools")).status_code == 200
    assert client.get(statement_list_url(long_statement, "no-such-list")).status_code == 404
    assert client.get(statement_list_url(long_statement, "uses", of="no-such-phase")).status_code == 404


def test_the_preview_costs_the_same_queries_for_few_and_many_uses(client, production, viewer):
    client.force_login(viewer)
    url = reverse("disclosure:statement", args=[production.pk])
    AIUseFactory.create_batch(3, production=production)
    _, few = queries_of(client, url)
    AIUseFactory.create_batch(30, production=production)

    _, many = queries_of(client, url)

    assert many == few


# The cache keeps what a page shows apart from the lists: the page reads a small summary, a list page the
# chunks of the list its page covers


class ReadingCache:
    """The cache, noting the size of each entry read from it, by its name (its key after
    "disclosure-page:<request key>:")."""

    def __init__(self, cache):
        self.cache = cache
        self.read = {}
        self.keys = {}

    def _note(self, key, value):
        name = key.split(":", 2)[2]
        self.read[name] = len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        self.keys[name] = key

    def get(self, key):
        value = self.cache.get(key)
        if value is not None:
            self._note(key, value)
        return value

    def get_many(self, keys):
        values = self.cache.get_many(keys)
        for key, value in values.items():
            self._note(key, value)
        return values

    def set_many(self, values, timeout):
        return self.cache.set_many(values, timeout)

    def evict(self, name):
        self.cache.delete(self.keys[name])


@pytest.fixture
def cache_reads(monkeypatch):
    spy = ReadingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", spy)
    return spy


def read_by(client, url, reads, **query):
    client.get(url, query)  # built and cached
    reads.clear()
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_pages_hold_whole_documents_beyond_the_entries_they_show(long_statement, monkeypatch):
    monkeypatch.setattr(page_cache, "CHUNK", 4)

    assert_pages_hold_the_documents(long_statement, dates=[datetime.date(2026, 11, 20)])


def test_the_preview_reads_its_summary_and_no_list(client, long_statement, viewer, cache_reads):
    client.force_login(viewer)
    url = reverse("disclosure:statement", args=[long_statement.pk])

    text = read_by(client, url, cache_reads.read, on="2026-11-20")
    shown = cache_reads.read["summary"]
    AIUseFactory.create_batch(40, production=long_statement, phase=Phase.VFX, description="A long description " * 20)
    more = read_by(client, url, cache_reads.read, on="2026-11-20")

    assert list(cache_reads.read) == ["summary"]
    assert "10 of 13 shown." in text and "10 of 53 shown." in more
    assert cache_reads.read["summary"] - shown < 1000  # forty more uses, each over 400 bytes, are not in it


def test_a_list_page_reads_only_the_chunks_its_page_covers(client, long_statement, viewer, monkeypatch, cache_reads):
    monkeypatch.setattr(page_cache, "CHUNK", 4)
    monkeypatch.setattr(views, "STATEMENT_PER_PAGE", 5)
    client.force_login(viewer)

    text = read_by(
        client, statement_list_url(long_statement, "uses", on="2026-11-20", of="vfx", page=2), cache_reads.read
    )

    assert sorted(cache_reads.read) == ["summary", "uses:vfx:1", "uses:vfx:2"]  # entries 5 to 9: chunks 4-7 and 8-11
    assert "Page 2 of 3" in text and len(re.findall(r'<div class="use">', text)) == 5


def test_the_checklist_page_reads_its_summary_and_a_list_of_records_the_chunks_of_its_page(
    client, many_deep_fakes, viewer, monkeypatch, cache_reads
):
    monkeypatch.setattr(page_cache, "CHUNK", 4)
    client.force_login(viewer)

    read_by(client, reverse("disclosure:checklist", args=[many_deep_fakes.pk]), cache_reads.read, on="2026-09-01")
    assert list(cache_reads.read) == ["summary"]

    monkeypatch.setattr(views_checklist, "RECORDS_PER_PAGE", 10)
    text = read_by(client, records_url(many_deep_fakes, on="2026-09-01", page=3), cache_reads.read)
    assert sorted(cache_reads.read) == [f"{ITEM}:5", "summary"]  # records 20 to 22
    assert "Page 3 of 3" in text and len(re.findall(r'<a href="/productions/\d+/uses/\d+/">', text)) == 3


def test_a_chunk_gone_from_the_cache_is_built_again(client, long_statement, viewer, monkeypatch, cache_reads, builds):
    monkeypatch.setattr(page_cache, "CHUNK", 4)
    monkeypatch.setattr(views, "STATEMENT_PER_PAGE", 5)
    client.force_login(viewer)
    url = statement_list_url(long_statement, "uses", on="2026-11-20", of="vfx", page=3)
    before = re.findall(r"AI use \d+", read_by(client, url, cache_reads.read))

    cache_reads.evict("uses:vfx:3")
    after = re.findall(r"AI use \d+", client.get(url).content.decode())

    assert builds["statement"] == 2
    assert len(before) == 3 and after == before
    assert re.findall(r"AI use \d+", read_by(client, url, cache_reads.read)) == before and builds["statement"] == 2
