"""The overall score: a weighted mean, capped by the weakest safeguard.

overall = 0.35 * engagement + 0.35 * authenticity + 0.30 * brand_safety
when authenticity < 40 or brand_safety < 40: overall = min(overall, authenticity, brand_safety)
"""

from vigie_partnerships.domain.vetting.score import Score

WEIGHTS = {"engagement": 0.35, "authenticity": 0.35, "brand_safety": 0.30}
SAFEGUARD = 40.0


def overall_score(engagement: Score, authenticity: Score, brand_safety: Score) -> Score:
    parts = {
        "engagement": engagement.value,
        "authenticity": authenticity.value,
        "brand_safety": brand_safety.value,
    }
    mean = sum(WEIGHTS[k] * v for k, v in parts.items())
    value = mean
    reasons = [
        " + ".join(f"{WEIGHTS[k]:g} x {k} {v:g}" for k, v in parts.items()) + f" = {mean:.1f}"
    ]
    floor = min(authenticity.value, brand_safety.value)
    if floor < SAFEGUARD and floor < mean:
        value = floor
        reasons.insert(0, f"capped at {floor:g}: authenticity or brand safety under {SAFEGUARD:g}")
    inputs = tuple((k, f"{v:g}") for k, v in parts.items())
    return Score(round(value, 1), inputs, tuple(reasons))
