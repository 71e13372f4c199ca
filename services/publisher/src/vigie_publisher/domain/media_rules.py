"""How many media of which types and sizes each network accepts (from their documentation;
the strictest documented figure where a network has several)."""

from dataclasses import dataclass

from vigie_publisher.domain.text import Network

_IMAGES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
_VIDEO = frozenset({"video/mp4"})
MB = 1_000_000


@dataclass(frozen=True)
class MediaRules:
    max_count: int
    mime_types: frozenset[str]
    max_image_bytes: int
    max_video_bytes: int
    # Instagram posts need at least one image or video.
    needs_media: bool = False
    # Whether a long text may be split into a thread of replies.
    threads: bool = False


MEDIA_RULES: dict[Network, MediaRules] = {
    Network.BLUESKY: MediaRules(4, _IMAGES | _VIDEO, 1 * MB, 50 * MB, threads=True),
    Network.X: MediaRules(4, _IMAGES | _VIDEO, 5 * MB, 512 * MB, threads=True),
    Network.MASTODON: MediaRules(4, _IMAGES | _VIDEO, 16 * MB, 99 * MB, threads=True),
    Network.THREADS: MediaRules(10, _IMAGES | _VIDEO, 8 * MB, 1000 * MB, threads=True),
    Network.LINKEDIN: MediaRules(9, _IMAGES | _VIDEO, 10 * MB, 200 * MB),
    Network.FACEBOOK: MediaRules(10, _IMAGES | _VIDEO, 10 * MB, 1000 * MB),
    Network.INSTAGRAM: MediaRules(10, _IMAGES | _VIDEO, 8 * MB, 300 * MB, needs_media=True),
}
