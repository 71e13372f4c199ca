"""Readers of account statistics, one per network (and two for Bluesky: AppView or PDS)."""
