"""Bringing a lifter's history in from other apps (Strong, Hevy): parse, resolve, keep raw, write once."""
