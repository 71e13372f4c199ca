"""The shipped sentiment artifact: it loads, it labels obvious posts, it is deterministic."""

import json
import shutil
from pathlib import Path

import pytest
from vigie_reputation.sentiment import LABELS, MODEL_NAMES, load_default_model, load_model
from vigie_reputation.sentiment.artifact import (
    ARTIFACT_DIR,
    CARD_FILE,
    WEIGHTS_FILE,
    load_artifact,
    save_artifact,
)

OBVIOUS = [
    ("I love this phone, it is amazing! Best purchase ever", "en", "positive"),
    ("This is the worst service ever, I hate it. Terrible!", "en", "negative"),
    ("J'adore ce film, il est magnifique !", "fr", "positive"),
    ("C'est nul, je déteste cette marque, quelle honte", "fr", "negative"),
    ("Ich liebe es, einfach wunderbar!", "de", "positive"),
    ("¡Me encanta, es genial! Muchas gracias", "es", "positive"),
    ("Que vergonha, péssimo atendimento, odeio", "pt", "negative"),
    ("Che schifo, servizio pessimo", "it", "negative"),
]


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_the_shipped_model_labels_obvious_posts_in_several_languages(name: str) -> None:
    texts, languages, expected = zip(*OBVIOUS, strict=True)
    predicted = [s.label for s in load_model(name).predict(list(texts), list(languages))]
    assert predicted == list(expected)


def test_the_default_model_is_loaded_once_and_names_its_version() -> None:
    model = load_default_model()
    assert model is load_default_model()
    assert model.name == "default"
    assert model.version == json.loads((ARTIFACT_DIR / CARD_FILE).read_text())["version"]


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_predictions_do_not_depend_on_the_rest_of_the_batch(name: str) -> None:
    model = load_model(name)
    texts = [text for text, _, _ in OBVIOUS]
    together = model.predict(texts, [None] * len(texts))
    alone = [model.predict([text], [None])[0] for text in reversed(texts)][::-1]
    assert [s.label for s in together] == [s.label for s in alone]
    for a, b in zip(together, alone, strict=True):
        assert a.confidence == pytest.approx(b.confidence, abs=1e-5)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_scores_are_probabilities_and_the_confidence_is_the_top_one(name: str) -> None:
    [sentiment] = load_model(name).predict(["Not bad at all, quite nice"], ["en"])
    assert set(sentiment.scores) == set(LABELS)
    assert sum(sentiment.scores.values()) == pytest.approx(1.0, abs=1e-4)
    assert sentiment.confidence == max(sentiment.scores.values())
    assert sentiment.scores[sentiment.label] == sentiment.confidence


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_a_blank_text_is_neutral_with_no_confidence(name: str) -> None:
    for sentiment in load_model(name).predict(["", "   "], ["en", None]):
        assert sentiment.label == "neutral"
        assert sentiment.confidence == 0.0


def test_an_unknown_or_missing_language_still_gets_a_label() -> None:
    model = load_model("default")
    sentiments = model.predict(["I love it!", "I love it!", "I love it!"], ["xx", None, "EN-gb"])
    assert [s.label for s in sentiments] == ["positive"] * 3


def test_an_unknown_model_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sentiment model"):
        load_model("huge")


def test_weights_that_do_not_match_their_description_refuse_to_load(tmp_path: Path) -> None:
    shutil.copytree(ARTIFACT_DIR, tmp_path, dirs_exist_ok=True)
    description = json.loads((tmp_path / CARD_FILE).read_text())
    description["weights_sha256"] = "0" * 64
    (tmp_path / CARD_FILE).write_text(json.dumps(description))
    with pytest.raises(ValueError, match="does not match"):
        load_artifact(tmp_path)


def test_the_artifact_is_small_and_holds_no_pickle() -> None:
    assert (ARTIFACT_DIR / WEIGHTS_FILE).stat().st_size < 15 * 2**20
    # allow_pickle=False in the loader: an object array would raise here.
    assert load_artifact().ngrams.weights.dtype.kind == "f"


def test_saving_the_loaded_artifact_again_gives_the_same_files(tmp_path: Path) -> None:
    save_artifact(load_artifact(), tmp_path)
    for name in (WEIGHTS_FILE, CARD_FILE):
        assert (tmp_path / name).read_bytes() == (ARTIFACT_DIR / name).read_bytes(), name
