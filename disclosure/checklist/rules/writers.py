"""Writers are told when material handed to them was AI-generated (WGA MBA Art. 72)."""

from django.utils.translation import gettext_lazy, ngettext_lazy

from disclosure import legal_basis as law
from disclosure.checklist.findings import NOT_MET, met, outcome, problem, rule


@rule(
    "writers-informed",
    gettext_lazy("Writers are told when material handed to them was AI-generated"),
    basis=law.WRITERS_INFORMED,
    applies_from=law.WGA_2023_MBA,
)
def writers_informed(evidence):
    handed = [use for use in evidence.uses if use.handed_to_writers]
    return outcome(
        problem(
            NOT_MET,
            [use for use in handed if not use.writers_informed],
            ngettext_lazy(
                "Writers were not told that %(count)d piece of material handed to them was AI-generated.",
                "Writers were not told that %(count)d pieces of material handed to them were AI-generated.",
                "count",
            ),
        ),
        otherwise=met(
            ngettext_lazy(
                "Writers were told that the material handed to them was AI-generated.",
                "Writers were told that each of the %(count)d materials handed to them was AI-generated.",
                "count",
            ),
            handed,
        )
        if handed
        else met(gettext_lazy("No AI-generated material was handed to writers.")),
    )
