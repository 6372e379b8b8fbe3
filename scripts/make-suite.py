#!/usr/bin/env python3
"""Writes tasks/suite/<task>/ (self-contained seeded pages + task files).

Each page carries its own copy of the seeded PRNG (mulberry32) so that it stays a single file
any browser can open; this script only saves typing. Run: python3 scripts/make-suite.py
"""
import os, sys

sys.dont_write_bytecode = True

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite.common import ROOT, TASKS, yaml_task  # noqa: E402
import suite.tasks_basic  # noqa: E402,F401
import suite.tasks_advanced  # noqa: E402,F401


def main():
    for t in TASKS:
        d = os.path.join(ROOT, t['name'])
        os.makedirs(d, exist_ok=True)
        for fname, html in t['pages'].items():
            with open(os.path.join(d, fname), 'w') as f: f.write(html)
        with open(os.path.join(d, f"{t['name']}.task.yaml"), 'w') as f: f.write(yaml_task(t))
    print(f'{len(TASKS)} tasks written to {os.path.normpath(ROOT)}')

main()
