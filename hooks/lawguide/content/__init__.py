"""The sources: register, glossary, pages, finder flows, Markdown scanning, the Site index and its cache, urls (where all is published)."""
