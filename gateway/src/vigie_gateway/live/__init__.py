"""Live subscriptions: NATS JetStream events fanned out to GraphQL subscribers over WebSocket."""
