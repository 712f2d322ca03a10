#!/usr/bin/env python3
"""The baseline: reconcile with the official commet-sdk, one customer after another.

Usage: baseline.py BASE_URL DESIRED_CSV
Reads the pre-counted CSV, then for each customer in order reads get_all_balances and, when a code
differs, sends one set_all naming the changed codes. Prints "customers=N writes=M" on stdout.
"""
import csv
import sys
from collections import defaultdict

from commet import Commet


def main() -> None:
    base_url, path = sys.argv[1], sys.argv[2]
    desired = defaultdict(dict)
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            desired[row["customer"]][row["feature"]] = int(row["count"])
    client = Commet("ck_benchmark", telemetry=False)
    # commet-seats-api.md: the SDK's base URL is set on its HTTP client.
    client._http._client.base_url = base_url
    writes = 0
    for customer, seats in desired.items():
        balances = client.seats.get_all_balances(customer_id=customer).balances
        changes = {code: count for code, count in seats.items() if code in balances and balances[code].current != count}
        if changes:
            client.seats.set_all(customer_id=customer, seats=changes)
            writes += 1
    client.close()
    print(f"customers={len(desired)} writes={writes}")


if __name__ == "__main__":
    main()
