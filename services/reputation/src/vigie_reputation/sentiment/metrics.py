"""Macro-F1, the UMSAB measure, without scikit-learn."""

from collections.abc import Sequence


def macro_f1(truth: Sequence[int], predicted: Sequence[int], n_classes: int = 3) -> float:
    """Mean over classes of F1; a class never predicted nor present counts as 0."""
    scores = []
    for k in range(n_classes):
        tp = sum(t == k and p == k for t, p in zip(truth, predicted, strict=True))
        predicted_k = sum(p == k for p in predicted)
        true_k = sum(t == k for t in truth)
        denominator = predicted_k + true_k
        scores.append(2 * tp / denominator if denominator else 0.0)
    return sum(scores) / n_classes


def per_language_f1(
    labels: Sequence[int], predicted: Sequence[int], languages: Sequence[str]
) -> dict[str, float]:
    """Macro-F1 within each language, languages in order of first appearance."""
    scores = {}
    for language in dict.fromkeys(languages):
        rows = [i for i, lang in enumerate(languages) if lang == language]
        scores[language] = macro_f1([labels[i] for i in rows], [predicted[i] for i in rows])
    return scores


def mean_language_f1(
    labels: Sequence[int], predicted: Sequence[int], languages: Sequence[str]
) -> float:
    """The UMSAB figure: macro-F1 within each language, averaged over languages."""
    scores = per_language_f1(labels, predicted, languages)
    return sum(scores.values()) / len(scores)
