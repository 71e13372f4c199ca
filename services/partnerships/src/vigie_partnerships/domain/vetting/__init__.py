"""Vetting, open and explained: each score says what it was computed from and why.

Every score is 0 (bad) to 100 (good) and carries its inputs and reasons (`Score`).

- `engagement`: the engagement rate (mean engagements per post / followers) against the
  benchmark of the creator's follower tier; 50 at the benchmark, 100 at twice it or more.
- `authenticity`: 100 minus penalties for signs of bought or fake audience (see its module).
- `brand_safety`: 100 minus penalties from what the creator said (see its module).
- `overall` (see `overall.py`):

      overall = 0.35 * engagement + 0.35 * authenticity + 0.30 * brand_safety

  capped at the lower of authenticity and brand safety when either is under 40, because a
  great reach does not make up for a fake audience or an unsafe voice.
"""
