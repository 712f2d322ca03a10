"""Writes a large directory export for the LDIF benchmark: GROUPS groups holding MEMBERS member values in all.

Usage: python3 generate.py OUT.ldif [GROUPS] [MEMBERS]   (defaults 10000 and 1000000)

Shape: 100 customers (o=custNN), users spread over them, each group holding MEMBERS/GROUPS member DNs. One member
DN in five is written the way AD and old tools write them (upper-case types, spaces after commas), which takes the
normaliser's slower path; lines longer than 76 columns are folded as ldapsearch folds them.
"""
import random
import sys

out = sys.argv[1]
groups = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
members = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
users = max(1, members // 10)
customers = 100
per_group = members // groups
rng = random.Random(42)
names = ["editors", "viewers", "admins", "staff", "contractors"]


def fold(line):
    if len(line) <= 76:
        return line
    parts = [line[:76]]
    line = line[76:]
    while line:
        parts.append(" " + line[:75])
        line = line[75:]
    return "\n".join(parts)


def user_dn(u, messy):
    c = u % customers
    if messy:
        return f"UID=User{u:06d}, OU=People, O=cust{c:02d}, DC=example, DC=com"
    return f"uid=user{u:06d},ou=people,o=cust{c:02d},dc=example,dc=com"


with open(out, "w") as f:
    for u in range(users):
        c = u % customers
        f.write(
            f"dn: {user_dn(u, False)}\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\nuid: user{u:06d}\n"
            f"cn: User {u}\nsn: {u}\nmail: user{u:06d}@cust{c:02d}.example.com\nuidNumber: {10000 + u}\n"
            f"gidNumber: 10000\nhomeDirectory: /home/user{u:06d}\n"
            f"entryUUID: {rng.getrandbits(128):032x}\ncreateTimestamp: 20250314091500Z\n\n"
        )
    for g in range(groups):
        c = g % customers
        f.write(
            f"dn: cn={names[g % len(names)]}{'' if g < customers * len(names) else g},ou=groups,o=cust{c:02d},"
            f"dc=example,dc=com\nobjectClass: groupOfNames\ncn: {names[g % len(names)]}\n"
        )
        for _ in range(per_group):
            u = rng.randrange(users // customers) * customers + c
            f.write(fold(f"member: {user_dn(u, rng.random() < 0.2)}") + "\n")
        f.write("\n")
