"""What the baselines share: the precedence of feature codes and the summary line `run` compares with seat-sync's."""

from collections import Counter

PRECEDENCE = {"admin": 0, "editor": 1, "viewer": 2}


def print_summary(customers, totals):
    """Prints `customers=N code=seats ...`, codes sorted, as `run` expects it."""
    print(f"customers={customers} " + " ".join(f"{k}={totals[k]}" for k in sorted(totals)))


def print_best(best):
    """Prints the summary of `best`: per customer, per user, the one code the user takes a seat under."""
    totals = Counter()
    for users in best.values():
        totals.update(users.values())
    print_summary(len(best), totals)
