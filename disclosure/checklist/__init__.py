"""The AI Act-aligned checklist (domain.md §3): each item declared once, evaluated from the records.

- findings.py: statuses, what a rule is and what it finds;
- evidence.py: the records a checklist reads, loaded in a fixed number of queries;
- rules/: one module per legal area, each rule with its id, title, legal basis, date and evaluation; RULES
  in rules/__init__.py orders them; every date and reference comes from disclosure.legal_basis;
- assess.py: runs the rules on a production and sets legal's attestations beside the computed statuses.
"""

from disclosure.checklist.assess import Checklist, ItemResult, assess
from disclosure.checklist.rules import RULES, RULES_BY_ID

__all__ = ["RULES", "RULES_BY_ID", "Checklist", "ItemResult", "assess"]
