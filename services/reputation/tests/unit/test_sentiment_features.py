"""Hashed n-gram features: the same text gives the same features in every process."""

import zlib

import numpy as np
import pytest
from vigie_reputation.sentiment.features import FeatureSpec, featurize, normalize
from vigie_reputation.sentiment.languages import language_code
from vigie_reputation.sentiment.metrics import macro_f1, mean_language_f1


def test_links_mentions_digits_and_stretched_letters_are_folded() -> None:
    text = normalize("@Brand Sooooo GOOD!!!!! see https://t.co/x 2024")
    assert text == "@user sooo good!!! see  http  000"


def test_a_word_lands_in_the_bucket_of_its_crc32() -> None:
    spec = FeatureSpec(n_buckets=1 << 18, char_min=9, char_max=9, word_bigrams=False)
    rows = featurize(["good"], [None], spec)
    assert rows.indices.tolist() == [zlib.crc32(b"w:good") % (1 << 18)]
    assert rows.values.tolist() == [1.0]


def test_every_row_has_unit_length_and_a_blank_text_has_none() -> None:
    rows = featurize(["great great product", "", "meh"], ["en", None, "fr"], FeatureSpec())
    lengths = np.diff(rows.indptr)
    assert lengths[1] == 0
    for start, end in [(rows.indptr[0], rows.indptr[1]), (rows.indptr[2], rows.indptr[3])]:
        assert np.linalg.norm(rows.values[start:end]) == pytest.approx(1.0, abs=1e-6)


def test_language_names_and_tags_map_to_trained_codes() -> None:
    assert [language_code(x) for x in ["pt-BR", "PT", "portuguese", "hi_IN"]] == [
        "pt",
        "pt",
        "pt",
        "hi",
    ]
    assert [language_code(x) for x in [None, "", "nl", "klingon"]] == [None] * 4


def test_macro_f1_averages_the_f1_of_each_class() -> None:
    assert macro_f1([0, 1, 2], [0, 1, 2]) == 1.0
    # class 0: f1 1; class 1: p=1/2 r=1 -> 2/3; class 2: 0
    assert macro_f1([0, 1, 2], [0, 1, 1]) == (1 + 2 / 3 + 0) / 3


def test_the_mean_is_over_languages_not_over_texts() -> None:
    labels, predicted = [0, 1, 2, 0, 0, 0, 0], [0, 1, 2, 1, 1, 1, 1]
    assert mean_language_f1(labels, predicted, ["a"] * 3 + ["b"] * 4) == 0.5
