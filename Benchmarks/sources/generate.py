"""Writes the benchmark inputs: a user-per-row CSV export, LDIF group dumps and a seat snapshot.

Shapes follow what real exports look like: the CSV looks like an HR export (extra columns, a role
column, some users holding two roles on two rows); the LDIF looks like slapcat output of
groupOfNames entries under o=<customer>, with folded long DNs in a few places. The "many-groups"
LDIF has many small groups whose members are all distinct DNs and no user entries, so that every
member value is a DN seen once and counted by its normalised form. The JSON is the seat-snapshot a
webhook receiver writes, pretty-printed or minified onto one line.
"""

import argparse
import json
import random

ROLES = ["Editor", "Viewer", "Owner"]
GROUP_NAMES = ["editors", "viewers", "admins", "engineering", "marketing", "support", "finance", "legal", "ops", "hr"]


def write_csv(path, rows, customers, repeat):
    with open(path, "w", newline="") as out:
        out.write("customer,email,first_name,last_name,department,role,status\r\n")
        # Each repeat writes the very same rows (same users, same roles), so that the file says no more than one
        # copy does and only the number of rows grows.
        for _ in range(repeat):
            write_csv_rows(out, random.Random(7), rows, customers)


def write_csv_rows(out, rng, rows, customers):
    written = 0
    user = 0
    while written < rows:
        customer = f"cust-{user % customers:05d}"
        email = f"user{user}@{customer}.example.com"
        roles = [rng.choice(ROLES)]
        if rng.random() < 0.1:
            roles.append(rng.choice(ROLES))
        for role in roles:
            if written == rows:
                break
            out.write(f"{customer},{email},First{user},Last{user},\"Sales, EMEA\",{role},active\r\n")
            written += 1
        user += 1


def write_group_head(out, g):
    """Writes the first lines of group `g` (a name cycling through GROUP_NAMES) and returns its customer."""
    customer = f"cust{g // len(GROUP_NAMES):05d}"
    name = GROUP_NAMES[g % len(GROUP_NAMES)]
    out.write(f"dn: cn={name},ou=groups,o={customer},dc=example,dc=com\n")
    out.write("objectClass: top\nobjectClass: groupOfNames\n")
    out.write(f"cn: {name}\n")
    return customer


def write_ldif(path, groups, members):
    rng = random.Random(11)
    per_group = members // groups
    with open(path, "w") as out:
        for g in range(groups):
            customer = write_group_head(out, g)
            out.write(f"entryUUID: 6f1c{g:08d}-0000-4000-8000-000000000000\n")
            for uid in rng.sample(range(per_group * 4), per_group):
                member = f"member: uid=user{uid},ou=people,o={customer},dc=example,dc=com"
                if uid % 50 == 0 and len(member) > 60:
                    out.write(member[:60] + "\n " + member[60:] + "\n")
                else:
                    out.write(member + "\n")
            out.write("\n")


def write_ldif_many_groups(path, groups, per_group):
    member = 0
    with open(path, "w") as out:
        for g in range(groups):
            customer = write_group_head(out, g)
            for _ in range(per_group):
                out.write(f"member: uid=user{member},ou=people,o={customer},dc=example,dc=com\n")
                member += 1
            out.write("\n")


def write_json(path, users, customers, minified):
    rng = random.Random(13)
    document = {
        "format": "seat-snapshot",
        "version": 1,
        "generated_at": "2026-11-25T12:00:00Z",
        "sequence": 1,
        "customers": [{"customer": f"cust-{c:05d}", "users": []} for c in range(customers)],
    }
    for user in range(users):
        roles = [rng.choice(ROLES)]
        if rng.random() < 0.1:
            roles.append(rng.choice(ROLES))
        entry = {"id": f"user{user}@example.com", "roles": roles, "active": rng.random() >= 0.05}
        document["customers"][user % customers]["users"].append(entry)
    with open(path, "w") as out:
        if minified:
            json.dump(document, out, separators=(",", ":"))
        else:
            json.dump(document, out, indent=2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=1, help="write the same rows this many times")
    parser.add_argument("--ldif")
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--ldif-many-groups", help="also write the many-groups LDIF shape here")
    parser.add_argument("--many-groups", type=int, default=30_000)
    parser.add_argument("--group-size", type=int, default=33)
    parser.add_argument("--json")
    parser.add_argument("--users", type=int, default=200_000)
    parser.add_argument("--minified", action="store_true", help="write the snapshot on one line")
    args = parser.parse_args()
    if args.csv:
        write_csv(args.csv, args.rows, args.customers, args.repeat)
    if args.ldif:
        write_ldif(args.ldif, args.groups, args.members)
    if args.ldif_many_groups:
        write_ldif_many_groups(args.ldif_many_groups, args.many_groups, args.group_size)
    if args.json:
        write_json(args.json, args.users, args.customers, args.minified)


main()
