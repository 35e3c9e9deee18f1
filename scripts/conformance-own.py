#!/usr/bin/env python3
"""Klaxon's own conformance scenarios (conformance/scenarios/*.yaml), run with the shared harness
(../shared/harness: run.py and compare.py, unchanged) against the goldens in conformance/golden/, which
were recorded from the real Alertmanager 0.25 the same way the harness records its own.

  conformance-own.py HARNESS --golden --cmd KLAXON [compare.py options] [NAME ...]   # Klaxon vs goldens
  conformance-own.py HARNESS --record [NAME ...]                                    # (re)record goldens
  conformance-own.py HARNESS --determinism [NAME ...]                               # Alertmanager twice

NAME picks scenarios by file name; without one, every scenario runs. scripts/conformance.sh runs the first
form after the harness's own scenarios, so `.ci/run` runs them.
"""
import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join(ROOT, "conformance", "scenarios")

if len(sys.argv) < 2 or not os.path.isdir(sys.argv[1]):
    sys.exit(__doc__)
sys.path.insert(0, os.path.abspath(sys.argv[1]))
import compare  # noqa: E402  (the harness's driver; its goldens directory is a module global)

compare.GOLDEN_DIR = os.path.join(ROOT, "conformance", "golden")
available = {os.path.splitext(os.path.basename(p))[0]: p for p in glob.glob(os.path.join(SCENARIOS, "*.yaml"))}
args, names = [], []
for arg in sys.argv[2:]:
    (names if arg in available else args).append(arg)
sys.argv = [sys.argv[0]] + args + [available[n] for n in (names or sorted(available))]
compare.main()
