"""Editors' and operators' tools: readability, publish, bench and synthetic guides."""
