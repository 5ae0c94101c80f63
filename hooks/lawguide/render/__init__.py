"""What the reader sees: citations, law pages, the glossary page, notices, the editors' page, What's changed and its feed."""
