"""Links that never break: the published-links lock and the check of built HTML."""
