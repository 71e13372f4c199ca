"""The model judged against people's corrections: figures computed by hand."""

import pytest
from vigie_reputation.domain.evaluation import OVERALL, Judged, evaluate


def _m(language: str, model: str, corrected: str | None, version: str = "v1") -> Judged:
    return Judged(language, model, corrected, version)


def test_uncorrected_mentions_are_scored_but_never_agreement() -> None:
    [overall, fr] = evaluate([_m("fr", "positive", None), _m("fr", "negative", None)])
    assert (overall.scored, overall.corrected, overall.agreed) == (2, 0, 0)
    assert overall.accuracy == 0.0 and overall.macro_f1 == 0.0
    assert fr.language == "fr"


def test_figures_per_language_and_overall() -> None:
    mentions = [
        # fr: 4 corrected, model right on 2 of them; 1 uncorrected.
        _m("fr", "positive", "positive"),
        _m("fr", "positive", "neutral"),
        _m("fr", "negative", "negative"),
        _m("fr", "neutral", "negative", "v2"),
        _m("fr", "neutral", None),
        # en: 2 corrected, both right.
        _m("en", "neutral", "neutral"),
        _m("en", "positive", "positive"),
    ]
    overall, en, fr = evaluate(mentions)
    assert overall.language == OVERALL
    assert (overall.scored, overall.corrected, overall.agreed) == (7, 6, 4)
    assert overall.accuracy == pytest.approx(4 / 6)
    assert overall.confusion["positive"] == {"negative": 0, "neutral": 1, "positive": 2}
    assert overall.confusion["neutral"] == {"negative": 1, "neutral": 1, "positive": 0}
    assert overall.model_versions == {"v1", "v2"}
    # Overall: negative TP1 predicted1 actual2 -> 2/3; neutral TP1 pred2 act2 -> 1/2;
    # positive TP2 pred3 act2 -> 4/5.
    assert overall.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 4 / 5) / 3)
    assert (en.scored, en.corrected, en.accuracy) == (2, 2, 1.0)
    # en: negative never seen (F1 0), neutral 1, positive 1.
    assert en.macro_f1 == pytest.approx(2 / 3)
    assert (fr.scored, fr.corrected, fr.accuracy) == (5, 4, 0.5)
    # fr: negative TP1 pred1 act2 -> 2/3; neutral TP0 -> 0; positive TP1 pred2 act1 -> 2/3.
    assert fr.macro_f1 == pytest.approx((2 / 3 + 0 + 2 / 3) / 3)


def test_grouped_counts_weigh_like_single_mentions() -> None:
    grouped = [Judged("fr", "positive", "neutral", "v1", 3), Judged("fr", "neutral", None, "v1", 2)]
    single = [_m("fr", "positive", "neutral")] * 3 + [_m("fr", "neutral", None)] * 2
    [a, _] = evaluate(grouped)
    [b, _] = evaluate(single)
    assert (a.scored, a.corrected, a.agreed, a.confusion) == (5, 3, 0, b.confusion)
    assert (b.scored, b.corrected) == (5, 3)
