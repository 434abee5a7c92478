"""A lifter's own exercises: definitions beside the catalog, theirs alone, matched like catalog ones."""
