"""lawguide: the register, citation, glossary, review and link logic of the guide.

Plain Python: nothing here imports mkdocs. Rooms, each importing only the rooms below it:

    cli.py       the `lawguide` command line: one explicit table of sub-commands
    tools/       readability, publish, bench, synthetic guides
    guide.py     the guide as every entry point loads it (sources + published links + authors' links and nav)
    render/      what the reader sees: citations, law pages, glossary, notices, editors' page, What's changed,
                 escaping (page.py: md_text, html_text, html_link; safety.py: the one safety pass
                 of every engine: titles for the theme, the CSP)
    lawchange/   when the law changes: review, impact, the legislation.gov.uk feed, watching sources (sources, http)
    links/       links that never break: the lock, the built-HTML check, authors' Markdown links and the nav
    content/     the sources: register, glossary, pages, Markdown scanning, the Site index, urls
    core/        problems, YAML with lines, typed fields, settings, the one web-address check (weburl)

hooks/lawguide_hooks.py adapts it to MkDocs.
"""

__version__ = "0.1.0"
