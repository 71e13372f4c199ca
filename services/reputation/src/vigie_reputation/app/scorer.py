"""The sentiment model as the service uses it: built once per process, run off the event loop."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from vigie_reputation.sentiment import Sentiment, SentimentModel, load_model


@dataclass(frozen=True)
class Scorer:
    model: SentimentModel
    # Sentiments computed ahead for a batch (one model call), taken by `score` as it goes.
    _ready: dict[tuple[str, str], Sentiment] = field(default_factory=dict, compare=False)

    @classmethod
    def named(cls, name: str) -> "Scorer":
        # load_model caches per name: one artifact read and one model per process.
        return cls(load_model(name))

    @property
    def version(self) -> str:
        return f"{self.model.name}-{self.model.version}"

    async def prepare(self, texts: Sequence[tuple[str, str]]) -> None:
        """Scores a batch's (text, language) pairs in one model call, several times faster than
        one call per text; `score` then finds them ready."""
        self._ready.clear()  # what an earlier batch left unused (duplicates it skipped)
        todo = list(dict.fromkeys(texts))
        if not todo:
            return
        results = await asyncio.to_thread(
            self.model.predict, [t for t, _ in todo], [lang or None for _, lang in todo]
        )
        self._ready.update(zip(todo, results, strict=True))

    async def score(self, text: str, language: str) -> Sentiment:
        # Not popped: a text repeated in the batch (retweets, copies) finds it ready too.
        ready = self._ready.get((text, language))
        if ready is not None:
            return ready
        # numpy releases the GIL for most of the work: the gRPC server keeps answering meanwhile.
        results = await asyncio.to_thread(self.model.predict, [text], [language or None])
        return results[0]
