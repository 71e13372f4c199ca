"""The sentiment model as the service uses it: built once per process, run off the event loop."""

import asyncio
from dataclasses import dataclass

from vigie_reputation.sentiment import Sentiment, SentimentModel, load_model


@dataclass(frozen=True)
class Scorer:
    model: SentimentModel

    @classmethod
    def named(cls, name: str) -> "Scorer":
        # load_model caches per name: one artifact read and one model per process.
        return cls(load_model(name))

    @property
    def version(self) -> str:
        return f"{self.model.name}-{self.model.version}"

    async def score(self, text: str, language: str) -> Sentiment:
        # numpy releases the GIL for most of the work: the gRPC server keeps answering meanwhile.
        results = await asyncio.to_thread(self.model.predict, [text], [language or None])
        return results[0]
