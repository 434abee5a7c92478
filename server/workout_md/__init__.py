"""Workouts as readable markdown: a document model, its renderer and its parser (issue 16)."""
