"""The claim rules: each a small named function with a stable code, a class (C / V / Deny), Thai and English
texts and what to do (base.py). Importing this package registers them all (``RULES``, in order); the engine
is raksa/claims/adjudicate.py."""

from raksa.claims.rules import authen, cross_checks, money, rights  # noqa: F401  (registers the rules)
from raksa.claims.rules.base import RULES, Hit, Rule, explain, rule_by_code  # noqa: F401
