"""The coach: answers a lifter's question from retrieved, cited chunks, with or without an LLM (issue 16)."""
