"""Ground floor: problems as values, YAML with source lines, typed field readers, settings."""
