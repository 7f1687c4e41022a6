from tests.api.conftest import api
from tests.factories import AIUseFactory, PersonFactory


def test_smoke(as_producer, production):
    person = PersonFactory(production=production)
    AIUseFactory(production=production, people=[person])
    r = as_producer.get(api(f"productions/{production.pk}/ai-uses/"))
    print(r.json())
    assert r.status_code == 200
    r = as_producer.get(api("productions/"))
    print(r.json())
    r = as_producer.post(api(f"productions/{production.pk}/ai-uses/"), {"title": "x"})
    print(r.json())
    r = as_producer.get(api(f"productions/{production.pk}/checklist/"))
    print(str(r.json())[:500])
