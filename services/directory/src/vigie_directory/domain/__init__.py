"""The directory's model and rules: pure Python, no I/O."""
