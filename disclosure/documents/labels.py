"""Labels of an edition's blockers and changes, in the active language: shared by the PDF, the pages and the API."""

from django.utils.translation import gettext_lazy as _

from disclosure.checklist import RULES_BY_ID
from productions.consent_status import ConsentStatus


def blocker_labels(blockers):
    """Each blocker as (what, why): a use with its consent status, or a checklist item not met."""
    labelled = []
    for entry in blockers:
        if entry["type"] == "use":
            labelled.append((entry["label"], ConsentStatus(entry["status"]).label))
        else:
            rule = RULES_BY_ID.get(entry["id"])
            labelled.append((rule.title if rule else entry["id"], _("Not met")))
    return labelled


def status_label(code):
    return ConsentStatus(code).label if code else _("No longer recorded")


def change_lines(changes):
    """An edition's changes since the previous one, grouped and labelled; None for a first edition."""
    if changes is None:
        return None
    consents = [
        {
            "label": entry["label"],
            "before": status_label(entry["before"]) if entry["before"] else _("Not recorded"),
            "after": status_label(entry["after"]),
        }
        for entry in changes["consents_changed"]
    ]
    return {
        "uses_added": [entry["title"] for entry in changes["uses_added"]],
        "uses_removed": [entry["title"] for entry in changes["uses_removed"]],
        "uses_changed": [entry["title"] for entry in changes["uses_changed"]],
        "consents_changed": consents,
        "nothing": not any(changes.values()),
    }
