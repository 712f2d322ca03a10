#!/usr/bin/env python3
"""Writes the reconcile benchmark's inputs: commet-fake's seed and the desired seats as a pre-counted CSV.

Usage: generate.py OUT_DIR [CUSTOMERS] [CHANGED_FRACTION]
Every customer has three feature codes; CHANGED_FRACTION of them (default 0.05) need one code changed.
Seeded random numbers, so every run benchmarks the same data.
"""
import csv
import json
import random
import sys

FEATURES = ["admin", "editor", "viewer"]


def main() -> None:
    out = sys.argv[1]
    customers = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    changed_fraction = float(sys.argv[3]) if len(sys.argv) > 3 else 0.05
    rng = random.Random(20261125)
    seed = {"customers": []}
    changed = set(rng.sample(range(customers), int(customers * changed_fraction)))
    with open(f"{out}/desired.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer", "feature", "count"])
        for index in range(customers):
            customer = f"cus_{index:05d}"
            balances = {"admin": rng.randint(1, 5), "editor": rng.randint(5, 50), "viewer": rng.randint(10, 200)}
            desired = dict(balances)
            if index in changed:
                feature = rng.choice(FEATURES)
                desired[feature] = max(0, balances[feature] + rng.choice([-2, -1, 1, 2, 3]))
            seed["customers"].append({"id": customer, "plan": balances, "subscribed": True})
            for feature in FEATURES:
                writer.writerow([customer, feature, desired[feature]])
    with open(f"{out}/seed.json", "w") as handle:
        json.dump(seed, handle)
    print(f"{customers} customers, {len(changed)} to change", file=sys.stderr)


if __name__ == "__main__":
    main()
