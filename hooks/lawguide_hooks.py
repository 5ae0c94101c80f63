"""MkDocs adapter: translates MkDocs events into lawguide calls. No logic lives here."""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from pathlib import Path

import jinja2
import jinja2.bccache
import markdown
from lawguide.content.cache import PageCache
from lawguide.content.translations import site_versions
from lawguide.core import clock
from lawguide.core.problems import ordered
from lawguide.core.settings import Settings
from lawguide.guide import load_guide
from lawguide.lawchange.impact import keep_dated_claims
from lawguide.render import rerender
from lawguide.render.editions import ENV_VAR as EDITIONS_ENV
from lawguide.render.editions import parse_names
from lawguide.render.editors import add_robots_meta
from lawguide.render.generate import (
    finish_generated_html,
    finish_searched_html,
    generated_files,
    generated_pages,
    shared_menu_folder,
)
from lawguide.render.page import (
    finish_html_and_search_view,
    insert_tail,
    page_tail,
    tail_apart_safe,
    transform_page,
)
from lawguide.render.preview import add_banner, problems_banner
from lawguide.render.safety import escape_page_meta, secure_page, secure_site
from lawguide.render.search import (
    SYNONYMS_FILE,
    english_headings,
    improve_index_data,
    index_as_read,
    load_synonyms,
    no_wildcard_on_short_words,
    page_languages,
    readable_search_view,
    route_words,
    write_language_indexes,
)
from lawguide.render.search_entries import MATERIAL_VERSIONS, page_entries, toc_lookup
from lawguide.render.translations import finish_output, finish_sitemap
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

log = get_plugin_logger("lawguide")
_state: dict = {"serving": False, "memory": rerender.Memory(), "kept_pages": rerender.KeptPages()}


class _Collect(logging.Handler):
    """While serving: every warning MkDocs logs during a build, for the preview's banner."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(DIRTY_NOTICE):  # the engine's note on every --dirty rebuild: not a problem
            self.lines.append(message)


_collected = _Collect()


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates, in memory; Jinja checks each against its template's source."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _CompiledTemplates()
DIRTY_NOTICE = "A 'dirty' build is being performed"


def on_startup(command, dirty=False, **kwargs):
    _state["serving"] = command == "serve"
    # `lawguide serve` runs the engine's preview with --dirty: only what an edit affects is rendered
    # again (see on_files and render_again). A build is never dirty here: `mkdocs build --dirty` is not
    # what lawguide runs, and a clean build is the one that is published.
    _state["dirty"] = bool(dirty) and _state["serving"]
    if _state["serving"]:
        logging.getLogger("mkdocs").addHandler(_collected)


def on_config(config, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    settings = Settings.from_config(root, {"docs_dir": config.docs_dir, "site_url": config.site_url,
                                           "site_name": config.site_name, "extra": dict(config.extra),
                                           "use_directory_urls": config.use_directory_urls,
                                           "config_file_path": config.config_file_path,
                                           "repo_url": config.repo_url})
    # The page cache the editors' commands use (content/cache.py): a page unchanged since the last
    # build or command (same size and modification time) is not read and parsed again. Every
    # cross-check still runs on the whole guide, so the problems are the same as a fresh load's.
    cache = PageCache(settings)
    kept = _state["kept_pages"] if _state.get("dirty") else None  # the preview: pages unchanged since the last save
    site = load_guide(settings, kept.loader(cache.load_page, clock.today()) if kept else cache.load_page)
    if not (kept and kept.reused):  # the cache on disk holds what went through it: not one save's few pages
        cache.save()
    if not _state["serving"]:
        # The editors' page lists stale "as of" claims: each page's claims are kept between builds and
        # commands (.cache/lawguide/dated_claims.pickle), as the page cache keeps parsed pages; a page
        # whose file or scan inputs changed is scanned afresh, so the list is a fresh scan's.
        keep_dated_claims(site)
    _state["site"] = site
    _state["finished"] = {}  # page -> its finished HTML while search indexes the search view
    _state["tails"] = {}  # a page tail's Markdown -> its HTML and table of contents entries
    _state["apart"] = {}  # page -> whether its tail is converted apart (on_page_markdown decides)
    if _state["serving"] and not any(p.fatal for p in site.problems):
        # The preview keeps going and shows every problem on every page (render/preview.py);
        # a hang with no message is what an editor would get from a stopped build. (Not past a page
        # MkDocs cannot read or a symlink it would follow: those stop the preview too, with the message.)
        _collected.lines = [problem.format() for problem in ordered(site.problems)]
        _state["problem_lines"] = tuple(_collected.lines)
        for line in _collected.lines:
            print(f"WARNING -  lawguide: {line}", file=sys.stderr)
        if _state.get("dirty"):
            _state["sources_key"] = _sources_key(config, site)
            rerender.reuse_facts(site, _state["memory"], _state["sources_key"], clock.today())
        gc.freeze()  # as below; each save's build unfreezes in on_post_build, so the last guide can go
        return config
    for problem in ordered(site.problems):  # root causes first
        log.warning(problem.format())  # through MkDocs' logger, so --strict counts it
    if site.problems and (config.strict or any(p.fatal for p in site.problems)):
        # Stop before anything is written: a strict build never leaves a half-built site, and no
        # build goes on past a page MkDocs cannot read or a symlink it would follow unchecked.
        raise Abort(f"{len(site.problems)} problem(s) in the guide's sources; nothing was built.")
    # The loaded guide lives until the build ends: keep Python's collector from walking its objects
    # again at every full collection the engine's work triggers (undone in on_post_build).
    gc.freeze()
    return config


def on_files(files, config, **kwargs):
    site = _state["site"]
    editions = parse_names(os.environ.get(EDITIONS_ENV, ""))  # set by `lawguide publish`
    # A build hands the engine the route finder's pages as placeholders, their HTML put in by on_page_content.
    # Not the --dirty preview: it keeps a generated page whose Markdown is unchanged (render.rerender).
    generated = generated_pages(site, editions=editions, finder_after=not _state.get("dirty"))
    _state["generated"] = set(generated)
    for path, content in generated.items():
        # Law pages are reached from the law index, not the menu.
        files.append(File.generated(config, path, content=content, inclusion=InclusionLevel.NOT_IN_NAV))
    for path, content in generated_files(site).items():
        files.append(File.generated(config, path, content=content))  # changes feed, review.json
    if _state.get("dirty"):
        rerender.remember_facts(site, _state["memory"], _state["sources_key"], clock.today())
        _render_again(files, site, generated)
    return files


def _render_again(files, site, generated: dict[str, str]) -> None:
    """The --dirty preview renders again only the pages whose source is newer than their output; what
    else an edit feeds, and which generated pages keep their last output, render.rerender says."""
    pages = [f for f in files.documentation_pages() if f.src_uri in site.pages]
    edited = {f.src_uri for f in pages if f.is_modified()}
    plan = rerender.plan(site, edited, generated, _state["sources_key"], _state["memory"])
    for f in pages:
        if plan.everything or f.src_uri in plan.also:
            f.is_modified = _yes  # an instance attribute: MkDocs asks page.file.is_modified()
    for f in files.documentation_pages():
        if f.src_uri in plan.keep:
            f.is_modified = _no


def _yes() -> bool:
    return True


def _no() -> bool:
    return False


def _sources_key(config, site) -> tuple:
    """render.rerender.sources_key over what MkDocs builds every page from: the register, glossary,
    flows, mkdocs.yml, the theme's custom folder and the config's watched folders."""
    settings = site.settings
    roots = [settings.register_dir, settings.glossary_dir, settings.flows_dir, Path(config.config_file_path),
             *(Path(item) for item in config.watch)]
    if config.theme.custom_dir:
        roots.append(Path(config.theme.custom_dir))
    return rerender.sources_key(roots, site, _state.get("problem_lines", ()))


def on_serve(server, config, builder, **kwargs):
    """The preview: MkDocs finds a save by listing every watched file every half second (a polling
    observer), so a save waited up to 0.5 s, plus the listing of ~1,000 pages, before its build began,
    and the listing took CPU from the build. The system's file notifications (inotify on Linux) report
    the save at once. MkDocs 1.6 keeps what it watches in two dicts; if those are not there (another
    engine version) or the notifications cannot be set up (e.g. the system's limit on watches), the
    preview keeps polling."""
    watched, refs = getattr(server, "_watched_paths", None), getattr(server, "_watch_refs", None)
    if not isinstance(watched, dict) or not isinstance(refs, dict) or server.observer.is_alive():
        return server
    from watchdog.observers import Observer

    polling, saved = server.observer, (dict(watched), dict(refs))
    try:
        server.observer = Observer()
        watched.clear()
        refs.clear()
        for path, count in saved[0].items():
            server.watch(path)
            watched[path] = count  # as many as watch() was asked for it (unwatch counts down)
    except OSError as error:
        log.info(f"file notifications unavailable ({error}); the preview polls for changes")
        server.observer = polling
        watched.clear()
        refs.clear()
        watched.update(saved[0])
        refs.update(saved[1])
    return server


def on_nav(nav, config, files, **kwargs):
    """--dirty preview: a page that is not rendered again has no title of its own in this build; the
    menu and the previous/next links would show none (or its file name). Give it the title lawguide
    read from its source, escaped as every title is (render.safety)."""
    # The menu's pages, in its order: the search index's pieces put them first (render.search.in_pieces).
    _state["menu_urls"] = [page.url for page in nav.pages]
    if not _state.get("dirty"):
        return nav
    site = _state["site"]
    for f in files.documentation_pages():
        source = site.pages.get(f.src_uri)
        if source is not None and f.page is not None and not f.is_modified() and "title" not in vars(f.page):
            meta = {"title": source.title}
            escape_page_meta(meta)
            f.page.title = meta["title"]
    return nav


def on_env(env, config, files, **kwargs):
    """--dirty preview: Material's search keeps the last build's index and swaps in the entries of one
    rendered page (it expects one). Here many pages are rendered again, so its index starts from the
    last build's entries of the pages that are not, and the rendered pages add theirs."""
    _share_menu(env)
    _fast_search_entries(config)
    _index_guide_pages_only(config)
    if not _state["serving"]:
        _keep_search_index(config)
    if not _state.get("dirty"):
        return env
    # MkDocs makes the theme's Jinja environment afresh each build, so every template would be compiled
    # again on every save; compiled templates are kept for the life of the preview instead.
    env.bytecode_cache = _TEMPLATES
    search = next((plugin for name, plugin in config.plugins.items()
                   if name.endswith("search") and hasattr(plugin, "search_index_prev")), None)
    prev = getattr(search, "search_index_prev", None)
    if prev is not None and hasattr(search, "search_index"):
        kept = {f.url for f in files.documentation_pages() if not f.is_modified()}
        search.search_index.entries = [e for e in prev.entries if e["location"].split("#")[0] in kept]
        search.search_index_prev = None  # Material then writes this index whole, and keeps it for next time
    return env


def _search_plugin(config):
    """The search plugin (Material's is "material/search" or "search"), or None."""
    return next((plugin for name, plugin in config.plugins.items() if name.endswith("search")), None)


def _keep_search_index(config) -> None:
    """A build: Material's search hands its index to on_post_build in memory (render.search.index_as_read)
    instead of writing 10 MB of JSON that on_post_build would read back and write again split by language
    (issue 31: about 0.17 s at 1,000 pages). It still writes search_index.json, empty, which on_post_build
    replaces with the English part. Not in the preview: Material keeps its index between saves there."""
    search = _search_plugin(config)
    index = getattr(search, "search_index", None)
    if index is None or not hasattr(index, "generate_search_index") or not isinstance(getattr(index, "config", None), dict):
        return  # another search plugin: on_post_build reads the file it writes

    def generate_search_index(prev) -> str:
        config_keys = ("lang", "separator", "pipeline", "fields")  # what Material puts in the index's config
        _state["search_index"] = index_as_read({key: index.config[key] for key in config_keys}, index.entries)
        return ""

    index.generate_search_index = generate_search_index


def _fast_search_entries(config) -> None:
    """Material's search makes a page's entries with an html.parser subclass, a sixth of a build (issue
    31); render.search_entries makes the same entries, byte for byte, without it, and says None where it
    is not sure: Material's own method then runs (it still strips data-search-* in on_page_context).
    Left alone: another search plugin, another Material release than the one compared with, or jieba
    installed (Material then segments Chinese words)."""
    search = _search_plugin(config)
    index = getattr(search, "search_index", None)
    module = sys.modules.get(type(index).__module__, None)
    material = sys.modules.get("material")
    if (type(index).__name__ != "SearchIndex" or not type(index).__module__.startswith("material.")
            or getattr(module, "jieba", True) is not None
            or getattr(material, "__version__", None) not in MATERIAL_VERSIONS
            or not isinstance(getattr(index, "entries", None), list)):
        return
    material_way = index.add_entry_from_context
    if getattr(material_way, "lawguide_fast", False):
        return

    def add_entry_from_context(page) -> None:
        entries = page_entries(page.content, toc_lookup(page.toc), page.url, page.meta, lambda: page.title)
        if entries is None:
            material_way(page)
        else:
            index.entries.extend(entries)

    add_entry_from_context.lawguide_fast = True
    index.add_entry_from_context = add_entry_from_context


def _index_guide_pages_only(config) -> None:
    """Material's search indexes a page in on_page_context, then strips data-search-* attributes from
    page.content with a regex. A guide page's page.content is then only its search view, which
    on_page_context below replaces with the finished page: for guide pages the strip is wasted (issue 31,
    about 0.18 s at 1,000 pages), so they are only indexed. Every other page (the generated ones, whose
    stripped HTML is kept) goes through Material's method as is. Left alone unless MkDocs' plugin
    collection and Material's search plugin are the ones compared with (one registered page_context
    method, Material's own, of a release in MATERIAL_VERSIONS)."""
    plugins = config.plugins
    search = _search_plugin(config)
    events = getattr(plugins, "events", None)
    origins = getattr(plugins, "_event_origins", None)
    material = sys.modules.get("material")
    if (search is None or type(search).__name__ != "SearchPlugin"
            or type(search).__module__ != "material.plugins.search.plugin"
            or getattr(material, "__version__", None) not in MATERIAL_VERSIONS
            or not isinstance(events, dict) or not isinstance(events.get("page_context"), list)
            or not isinstance(origins, dict)):
        return
    material_way = search.on_page_context
    method = getattr(material_way, "__func__", None)
    if (getattr(method, "__qualname__", None) != "SearchPlugin.on_page_context"
            or getattr(method, "__module__", None) != "material.plugins.search.plugin"):
        return  # the method was replaced (a subclass, a patch): what it does is not known here
    found = [i for i, method in enumerate(events["page_context"]) if method == material_way]
    if len(found) != 1:  # not registered, or registered twice: not the structure this was written for
        return

    def on_page_context(context, *, page, config, nav):
        # Only a page whose finished HTML waits in _state["finished"] has its page.content replaced.
        if page.file.src_uri not in _state["finished"] or not search.config.enabled:
            return material_way(context, page=page, config=config, nav=nav)
        search.search_index.add_entry_from_context(page)
        return None

    on_page_context.mkdocs_priority = getattr(material_way, "mkdocs_priority", 0)
    events["page_context"][found[0]] = on_page_context  # same place: the same order of events
    origins[on_page_context] = origins.get(material_way, "<unknown>")


def _share_menu(env) -> None:
    """Two of the theme's partials rendered once per folder for the generated pages, which the menu does not
    hold (render.generate.shared_menu_folder says when the folder decides their HTML), instead of once a page:
    the menu (partials/nav.html) and the header (partials/header.html, whose only words of the page's own
    are its title). About half of the theme's Jinja on a law or route-finder page (issue 31). Other pages,
    and a theme without those templates, render them as before."""
    menus: dict = {}

    def folder_of(context) -> tuple | None:
        page, nav = context.get("page"), context.get("nav")
        file = getattr(page, "file", None)
        if nav is None or file is None or file.src_uri not in _state.get("generated", ()):
            return None
        if id(nav) not in menus:
            menus.clear()
            menus[id(nav)] = _menu_urls(nav)
        folder = shared_menu_folder(page.url, menus[id(nav)])
        return None if folder is None else (id(nav), folder)

    try:
        nav_template, header_template = env.get_template("partials/nav.html"), env.get_template("partials/header.html")
    except jinja2.TemplateNotFound:
        return
    render_nav, render_header, menu_html, header_parts = nav_template.root_render_func, header_template.root_render_func, {}, {}

    def nav_render_func(context):
        key = folder_of(context)
        if key is None:
            yield from render_nav(context)
            return
        if key not in menu_html:
            menu_html[key] = "".join(render_nav(context))
        yield menu_html[key]

    def header_render_func(context):
        key = folder_of(context)
        if key is not None and key not in header_parts:
            header_parts[key] = _header_parts(header_template, render_header, context)
        parts = header_parts.get(key)
        if parts is None:
            yield from render_header(context)
            return
        yield parts[0] + _header_title(context["page"]) + parts[1]

    nav_template.root_render_func = nav_render_func
    header_template.root_render_func = header_render_func


TITLE_HOLE = "lgqtitleq"


class _TitleHole:
    """A page whose title (and front matter title) is TITLE_HOLE; notes everything else a template asks of it."""

    def __init__(self, page) -> None:
        self._page, self.asked = page, set()

    def __getattr__(self, name: str):
        if name == "title":
            return TITLE_HOLE
        if name == "meta":
            meta = dict(self._page.meta or {})
            if meta.get("title"):
                meta["title"] = TITLE_HOLE
            return meta
        self.asked.add(name)
        return getattr(self._page, name)


def _header_title(page) -> str:
    """What Material's header writes as the page's title: its front matter title, or else its title."""
    title = page.meta.get("title") if page.meta else None
    return str(title) if title else str(page.title)


def _header_parts(template, render, context) -> tuple[str, str] | None:
    """The header before and after the page's title, rendered for a page whose title is a hole; None (render
    each page's header) unless the header asks the page for nothing but its title and address (its links are
    relative to the address, the same throughout the folder) and the parts give this page's header exactly."""
    hole = _TitleHole(context["page"])
    with_hole = "".join(render(template.new_context({**context.get_all(), "page": hole}, True)))
    if hole.asked - {"url"} or with_hole.count(TITLE_HOLE) != 1:
        return None
    before, after = with_hole.split(TITLE_HOLE)
    if before + _header_title(context["page"]) + after != "".join(render(context)):
        return None
    return before, after


def _menu_urls(nav) -> set[str]:
    """Every address the menu links to: its pages, its links and the home page."""
    urls, items = set(), list(nav.items)
    while items:
        item = items.pop()
        if getattr(item, "url", None) is not None:
            urls.add(item.url)
        items.extend(getattr(item, "children", None) or ())
    if nav.homepage is not None:
        urls.add(nav.homepage.url)
    return urls


def on_page_markdown(markdown, page, config, files, **kwargs):
    escape_page_meta(page.meta)  # the safety pass: titles and descriptions are text in every template
    site = _state["site"]
    source = site.pages.get(page.file.src_uri)
    if source is None:  # generated pages are already rendered
        return markdown
    configs = config.mdx_configs or {}
    toc = configs.get("toc") or configs.get("markdown.extensions.toc") or {}  # either name works in mkdocs.yml
    apart = tail_apart_safe(config.markdown_extensions, toc.get("marker", "[TOC]"), markdown)
    _state["apart"][page.file.src_uri] = apart
    return transform_page(site, source, markdown, tail_apart=apart)  # the tail: on_page_content


def on_page_content(html, page, config, files, **kwargs):
    site = _state["site"]
    source = site.pages.get(page.file.src_uri)
    if source is None:  # What's changed's lists and finder pages go in before search indexes the page
        return finish_searched_html(site, page.file.src_uri, html)
    # Citations, header, notice, words used and legal basis go into the HTML after conversion:
    # Python-Markdown never parses them (see lawguide.render.page). Material's search indexes
    # page.content in on_page_context, so until then it holds the search view: the same text without
    # links, and without the blocks search leaves out (the same index, far fewer tags to parse). The
    # finished page replaces it once the page is indexed.
    tail = page_tail(site, source) if _state["apart"].pop(page.file.src_uri, False) else ""
    if tail:
        html = _with_tail(page, source, tail, html, config)
    finished, search_view = finish_html_and_search_view(site, source, html)
    _state["finished"][page.file.src_uri] = finished
    return readable_search_view(search_view)  # no fold summaries, a table's cells apart (render.search)


def _with_tail(page, source, tail: str, html: str, config) -> str:
    """The page's HTML with its tail's (see render.page.transform_page, tail_apart), converted once a
    build by Python-Markdown as MkDocs sets it up, and the tail's headings in the page's table of
    contents, as if MkDocs had converted the whole page. (The placeholders carried the tail's ids, so
    MkDocs' anchor check already knows them.)"""
    if tail not in _state["tails"]:
        md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {})
        _state["tails"][tail] = md.convert(tail), getattr(md, "toc_tokens", [])
    tail_html, tokens = _state["tails"][tail]
    html, inserted = insert_tail(_state["site"], source, html, tail_html)
    if inserted:
        _add_to_toc(page, tokens)
    return html


def _add_to_toc(page, tokens: list[dict]) -> None:
    """Python-Markdown's toc nesting for headings that come last: each goes under the last entry of
    a lower level (the page's h1), or at the top. Only the very first entry of a page is 'active'."""
    items = get_toc(tokens).items  # new entries for this page
    if page.toc.items and items:
        del items[0].active
    for item in items:
        siblings = page.toc.items
        while siblings and siblings[-1].level < item.level:
            siblings = siblings[-1].children
        siblings.append(item)


@event_priority(-100)  # after Material's search has indexed the page
def on_page_context(context, page, config, nav, **kwargs):
    site = _state["site"]
    source = site.pages.get(page.file.src_uri)
    if source is None:
        # A law page's list of guides goes in once the page is indexed: search leaves it out.
        page.content = finish_generated_html(site, page.file.src_uri, page.content)
    else:
        page.content = _state["finished"].pop(page.file.src_uri)
    return context


def on_post_page(output, page, config, **kwargs):
    robots = page.meta.get("robots")  # e.g. the editors' page: noindex
    output = add_robots_meta(output, robots) if robots else output
    output = finish_output(_state["site"], page.file.src_uri, output)  # lang, dir, hreflang of versions
    if _state["serving"]:
        # The preview's banner; no policy while serving (its live-reload script is inline).
        return add_banner(output, problems_banner(_collected.lines))
    return secure_page(output, page.content or "")  # the safety pass: the policy


def on_post_template(output_content, template_name, config, **kwargs):
    if template_name.endswith(".html") and not _state["serving"]:
        return secure_page(output_content)  # 404.html
    return output_content


def on_build_error(error, **kwargs):
    gc.unfreeze()  # a build that stops early still hands the guide back to the collector


def on_post_build(config, **kwargs):
    gc.unfreeze()
    if not _state["serving"]:
        secure_site(Path(config.site_dir))  # pages other plugins wrote (mkdocs-redirects' stubs)
    workers = sorted((Path(config.site_dir) / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    for worker in workers:
        patched = no_wildcard_on_short_words(worker.read_text(encoding="utf-8"))
        if patched is None:
            log.warning(f"{worker.name}: Material's search worker has changed; re-check "
                        "lawguide.render.search.no_wildcard_on_short_words (search would match 'PA' to 'para')")
        else:
            worker.write_text(patched, encoding="utf-8")
    index = Path(config.site_dir) / "search" / "search_index.json"
    site = _state.get("site")
    if site is not None:
        finish_sitemap(site, Path(config.site_dir))  # hreflang alternates (not in the pages: see the function)
    if site is None or not index.exists():
        return
    synonyms, _ = load_synonyms(site.settings.glossary_dir / SYNONYMS_FILE, set(site.pages))  # problems: on_config

    versions = site_versions(site)
    # Parsed once, improved and split in memory: written out only as the files the site serves.
    kept = _state.pop("search_index", None)  # see _keep_search_index
    improved = improve_index_data(kept if kept is not None else json.loads(index.read_text(encoding="utf-8")),
                                  synonyms, config.use_directory_urls, versions.by_path)
    # search_index.json is written here too, as the English part of the split
    write_language_indexes(Path(config.site_dir), improved, page_languages(versions, config.use_directory_urls),
                           english_headings(versions), route_words(versions),
                           piece_bytes=site.settings.search_piece_kb * 1024, first_pages=_state.get("menu_urls", ()))
