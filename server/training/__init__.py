"""Training intelligence: records, app sessions, analytics, the adaptive modifier, next-set targets."""
