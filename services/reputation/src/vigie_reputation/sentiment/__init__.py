"""Multilingual sentiment (negative / neutral / positive) of short posts, on CPU with numpy."""

from .loading import MODEL_NAMES, load_default_model, load_model
from .model import LABELS, Label, Sentiment, SentimentModel

__all__ = [
    "LABELS",
    "MODEL_NAMES",
    "Label",
    "Sentiment",
    "SentimentModel",
    "load_default_model",
    "load_model",
]
