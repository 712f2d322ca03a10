"""Baseline: Python's json module plus a counter, doing seat-sync's aggregation of a seat snapshot.

Per customer, each active user takes one seat under the first of admin, editor, viewer they hold;
prints the total seats per feature code so the result can be compared with seat-sync's.
"""

import json
import sys
from collections import Counter

from seat_summary import PRECEDENCE, print_summary

ROLES = {"owner": "admin", "editor": "editor", "viewer": "viewer"}

with open(sys.argv[1], encoding="utf-8") as handle:
    document = json.load(handle)

totals = Counter()
customers = 0
for customer in document["customers"]:
    customers += 1
    for user in customer["users"]:
        if not user.get("active", True):
            continue
        features = [ROLES[r.strip().lower()] for r in user["roles"] if r.strip().lower() in ROLES]
        if features:
            totals[min(features, key=PRECEDENCE.get)] += 1
print_summary(customers, totals)
