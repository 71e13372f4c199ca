"""Clients of the social networks we publish to, one module per network."""
