"""lawguide: the register, citation, glossary, review and link logic of the guide.

Plain Python: nothing here imports mkdocs. Rooms, each importing only the rooms below it:

    cli.py       the `lawguide` command line: one explicit table of sub-commands
    tools/       readability, publish, bench, synthetic guides
    guide.py     the guide as every entry point loads it (sources + published-links check)
    render/      what the reader sees: citations, law pages, glossary, notices, editors' page, What's changed
    lawchange/   when the law changes: review, impact, the legislation.gov.uk feed, watching sources (sources, http)
    links/       links that never break: the lock, the built-HTML check
    content/     the sources: register, glossary, pages, Markdown scanning, the Site index, urls
    core/        problems, YAML with lines, typed fields, settings

hooks/lawguide_hooks.py adapts it to MkDocs.
"""

__version__ = "0.1.0"
