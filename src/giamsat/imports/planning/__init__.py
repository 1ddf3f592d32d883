"""Planners: read a file, check every row against the database (batched lookups, no per-row
queries), and say what each row will do; ``apply`` then writes the plan in bulk."""
