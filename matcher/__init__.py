"""Understanding a lifter's words: numbers, grammar, exercise matching. Never imports the server."""
