"""The fault harness: the platform as separate processes under a steady workload, faults
injected at seeded random moments, then the delivery invariants checked (issue #9)."""

import os

# The harness forks services and nats-server while its own gRPC client threads run; gRPC's
# fork handlers then run in the child before its exec and can kill it (seen: a restarted
# nats-server that never started). The children exec at once and need none of them.
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")
