"""The sources: register, glossary, pages, Markdown scanning, the Site index and its cache, and urls (where everything is published)."""
