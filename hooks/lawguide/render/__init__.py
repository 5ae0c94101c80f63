"""What the reader sees: citations, law pages, glossary, notices, the editors' page, What's changed and its feed, the route finder."""
