"""Cross-service suites."""
