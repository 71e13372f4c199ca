"""The networks by their short names, and the contract's enum for them."""

from vigie.publisher.v1 import resources_pb2 as pb

NETWORKS = {
    pb.NETWORK_BLUESKY: "bluesky",
    pb.NETWORK_MASTODON: "mastodon",
    pb.NETWORK_X: "x",
    pb.NETWORK_LINKEDIN: "linkedin",
    pb.NETWORK_INSTAGRAM: "instagram",
    pb.NETWORK_THREADS: "threads",
    pb.NETWORK_FACEBOOK: "facebook",
}
_BY_NAME = {name: number for number, name in NETWORKS.items()}


def to_proto(network: str) -> "pb.Network.ValueType":
    return _BY_NAME.get(network, pb.NETWORK_UNSPECIFIED)
