"""Baseline: Python's csv module plus a counter, doing seat-sync's aggregation of a user-per-row CSV.

Per customer, each user (case-insensitive) takes one seat under the first of admin, editor, viewer
they hold; prints the total seats per feature code so the result can be compared with seat-sync's.
"""

import csv
import sys
from collections import defaultdict

from seat_summary import PRECEDENCE, print_best

ROLES = {"owner": "admin", "editor": "editor", "viewer": "viewer"}

best = defaultdict(dict)
with open(sys.argv[1], newline="", encoding="utf-8-sig") as handle:
    for row in csv.DictReader(handle):
        feature = ROLES.get(row["role"].strip().lower())
        if feature is None:
            continue
        users = best[row["customer"].strip()]
        user = row["email"].strip().lower()
        held = users.get(user)
        if held is None or PRECEDENCE[feature] < PRECEDENCE[held]:
            users[user] = feature

print_best(best)
