"""The ledger's rows are written in Python (productions/templatetags/ledger_grid.py), not by the template engine
cell by cell: byte for byte the HTML the row template wrote, which data/ledger_rows.json keeps as that template
wrote it for readers and editors, in English and French, with an editor open, a refusal and a conflict note.

The uses are built in memory: nothing here reads the database, so the ids, and the HTML, never move.
"""

import json
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from productions.consent_status import ConsentStatus
from productions.models import AITool, AIUse, Production
from productions.views.ledger import table_rows

ROWS = Path(__file__).parent / "data" / "ledger_rows.json"

# (title, external id, phase, department, tool, policy, output type, source type, final, deep fake, disclosure,
# consent status): every branch of a row, and text that must be escaped.
USES = [
    (
        "Sky replacement, shot 010",
        "SQ010_SH0010",
        "vfx",
        "vfx",
        0,
        None,
        "video",
        "compositeSynthetic",
        True,
        "yes",
        "end_credits",
        ConsentStatus.NOT_NEEDED,
    ),
    (
        'De-ageing <b>"the lead"</b> & co',
        "",
        "post_picture",
        "colour",
        1,
        "blocked",
        "image",
        "trainedAlgorithmicMedia",
        False,
        "no",
        "none",
        ConsentStatus.MISSING,
    ),
    (
        "Dubbed voice, French version",
        "—",
        "",
        "",
        None,
        None,
        "",
        "",
        False,
        "not_determined",
        "",
        ConsentStatus.REVOKED,
    ),
    (
        "L'ombre «du» doublage",
        "<x>",
        "unknown_phase",
        "sound",
        2,
        "restricted",
        "audio",
        "algorithmicallyEnhanced",
        True,
        "not_determined",
        "opening_card_audio",
        ConsentStatus.SCOPE_TO_CONFIRM,
    ),
    (
        "  ",
        "  ",
        "marketing",
        "marketing",
        1,
        "approved",
        "text",
        "humanEdits",
        True,
        "no",
        "audio_disclaimer",
        ConsentStatus.COVERED,
    ),
]
TOOLS = [
    AITool(pk=3, vendor="Runway", product="Gen-3", model_name="alpha", model_version="3.0"),
    AITool(pk=4, vendor="Adobe & Sons", product="<Firefly>", model_name="", model_version=""),
    AITool(pk=5, vendor="ElevenLabs", product="Dubbing", model_name="", model_version="2"),
]
# A cell as the grid answers it: open on a refused value with its reasons, or with a note on someone's change.
CELLS = {
    "title refused": {"field": "title", "value": 'A "new" <title>', "messages": ["Too long.", "Also <wrong>."]},
    "phase refused": {"field": "phase", "value": "nonsense", "messages": ["Select a valid choice."]},
    "final refused": {"field": "is_final", "value": "maybe", "messages": ["Not a choice."]},
    "external id in conflict": {"field": "external_id", "note": "Inés changed this use at 8:09 a.m. <first>."},
    "deep fake in conflict": {"field": "deep_fake", "note": "Someone else changed it."},
}


def _uses(production):
    uses = []
    for pk, values in enumerate(USES, start=101):
        title, external_id, phase, department, tool, policy, output, source, final, fake, method, status = values
        use = AIUse(
            pk=pk,
            production=production,
            title=title,
            external_id=external_id,
            phase=phase,
            department=department,
            tool=None if tool is None else TOOLS[tool],
            output_type=output,
            digital_source_type=source,
            is_final=final,
            deep_fake=fake,
            disclosure_method=method,
            version=pk % 7 + 1,
        )
        use.tool_policy = policy
        uses.append(use)
    statuses = {use.pk: values[-1] for use, values in zip(uses, USES, strict=True)}
    return table_rows(uses, known=statuses)


def rendered_rows():
    """{case: the row's HTML} as the grid answers each use's row, for readers and editors, in both languages."""
    production = Production(pk=41, title="El Eternauta")
    rows = {}
    for language in ("en", "fr"):
        with translation.override(language):
            uses = _uses(production)
            for editing in (False, True):
                context = {"production": production, "may": {"edit_records": editing}}
                for use in uses:
                    case = f"{language} {'editor' if editing else 'reader'} {use.pk}"
                    rows[case] = render_to_string("productions/ledger/_row.html", {**context, "use": use})
            context = {"production": production, "may": {"edit_records": True}}
            for name, cell in CELLS.items():
                for use in uses[:2]:
                    rows[f"{language} {name} {use.pk}"] = render_to_string(
                        "productions/ledger/_row.html", {**context, "use": use, "cell": cell}
                    )
    return rows


def test_each_row_is_the_html_the_row_template_wrote():
    expected = json.loads(ROWS.read_text())
    rows = rendered_rows()
    assert rows.keys() == expected.keys()
    for case, html in rows.items():
        assert html == expected[case], case
