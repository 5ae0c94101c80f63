"""lawguide: the register, citation, glossary, review and link logic of the guide.

Plain Python: nothing here imports mkdocs. hooks/*.py adapt it to MkDocs; cli.py to the shell.
"""

__version__ = "0.1.0"
