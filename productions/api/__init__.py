"""The REST API (v1): thin views over productions.selectors (reads) and productions.services (writes)."""
