"""Reads an export with PyPI's `ldif` package (pure Python) and collects every group's members: the baseline the
Swift reader is measured against.

Usage: python3 python_ldif.py FILE.ldif
"""
import os
import sys
import time

import ldif

path = sys.argv[1]
start = time.perf_counter()
cpu_start = time.process_time()
groups = members = 0
with open(path, "rb") as f:
    for dn, entry in ldif.LDIFParser(f).parse():
        values = entry.get("member", [])
        if values:
            groups += 1
            members += len(values)
elapsed = time.perf_counter() - start
cpu = time.process_time() - cpu_start
size = os.path.getsize(path) / 1e6
print(
    f"python ldif: {groups} groups, {members} member values, {size:.1f} MB in {elapsed:.2f} s = "
    f"{size / elapsed:.1f} MB/s (CPU {cpu:.2f} s = {size / cpu:.1f} MB/s)"
)
