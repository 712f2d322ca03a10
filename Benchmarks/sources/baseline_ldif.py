"""Baseline: the `ldif` package from PyPI, doing seat-sync's aggregation of a group dump.

Groups named in the mapping grant their feature code to each member; the customer is the `o=` RDN of
the group's DN; a member counts once per customer under the first of admin, editor, viewer.
"""

import sys
from collections import defaultdict

from ldif import LDIFParser
from seat_summary import PRECEDENCE, print_best

GROUPS = {"editors": "editor", "viewers": "viewer", "admins": "admin"}


def normalise(dn):
    return ",".join(part.strip().lower() for part in dn.split(","))


best = defaultdict(dict)
with open(sys.argv[1], "rb") as handle:
    for dn, entry in LDIFParser(handle).parse():
        if dn is None:
            continue
        names = [n.lower() for n in entry.get("cn", [])]
        feature = next((GROUPS[n] for n in names if n in GROUPS), None)
        if feature is None:
            continue
        customer = next(p.split("=", 1)[1] for p in dn.split(",") if p.strip().lower().startswith("o="))
        users = best[customer]
        for member in entry.get("member", []):
            user = normalise(member)
            held = users.get(user)
            if held is None or PRECEDENCE[feature] < PRECEDENCE[held]:
                users[user] = feature

print_best(best)
