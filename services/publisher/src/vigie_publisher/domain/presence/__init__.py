"""Presence analytics on the publisher's side: account statistics, snapshot due-ness, handles
of tracked accounts and the ranking of proposed slots. Pure rules, no I/O."""
