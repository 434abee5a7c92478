"""The lifter's profile: a typed document, every change a JSON-Patch in an append-only ledger (issue 16)."""
