"""Redaction rules: which personal data is pseudonymized, and where (DESIGN §6, §9).

The rules follow the Supreme People's Court's rules on publishing judgments online (最高人民法院
关于人民法院在互联网公布裁判文书的规定, 2016): natural persons' names become 张某-style
pseudonyms; home addresses are kept to the county; ID numbers, phone numbers, bank accounts and
plate numbers are removed. Court officials (judges, clerks) keep their names, as in a published
judgment. The rules are data: the pseudonymizer applies them, the export and model code ask them.
"""

from __future__ import annotations

from dataclasses import dataclass

PERSONAL_DATA = frozenset({"person", "id_number", "phone", "address", "bank_account", "plate"})


@dataclass(frozen=True)
class RedactionRules:
    """What is pseudonymized and where, for one case policy."""

    name: str
    categories: frozenset[str] = PERSONAL_DATA
    # Judges and clerks keep their names (they sign the judgment in their office).
    keep_officials: bool = True
    # Everything that leaves the machine (exports, bundles) is pseudonymized.
    pseudonymize_exports: bool = True
    # Text for a model endpoint not marked local is pseudonymized; the answer is reversed.
    pseudonymize_remote_endpoints: bool = True

    def must_pseudonymize(self, endpoint_is_local: bool) -> bool:
        """True when text bound for an endpoint must be pseudonymized first."""
        return self.pseudonymize_remote_endpoints and not endpoint_is_local


STANDARD = RedactionRules(name="standard")

# Every case policy so far uses the standard rules; a policy with other needs adds its entry here.
RULES_BY_POLICY: dict[str, RedactionRules] = {"civil_simple": STANDARD, "evaluation": STANDARD}


def redaction_rules(policy: str) -> RedactionRules:
    """The redaction rules of a case policy (the standard rules for a policy not listed)."""
    return RULES_BY_POLICY.get(policy, STANDARD)
