"""Report pages (split by subject: reports, practices and recommendations, synthesis)."""
