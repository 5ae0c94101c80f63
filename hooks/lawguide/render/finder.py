"""The route finder's pages (issue 20): generated like the law pages, so every engine publishes them.

- /finder/ lists every flow.
- /finder/FLOW/ holds the whole flow: its first question shows, every other question and outcome is in
  the page but `hidden`. With JavaScript (theme/assets/javascripts/finder.js) the flow runs in this one
  page, answers kept only in the address's #fragment; without it, each answer is a plain link to
- /finder/FLOW/ID/, each question and each outcome as a page of its own. An outcome's page is its
  stable address (links.lock), the one an adviser sends.

Each page is front matter plus one raw HTML block built from escaped data (text from YAML is data,
never markup: raw_html_text and html_attr, as for the law pages), with no blank line inside, so
Markdown passes it through untouched. Citations are rendered as on a guide page (render.page), and an
outcome whose law changed shows the same notice.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace

from lawguide.content.flows import Flow, Outcome, Question, SectionLink
from lawguide.content.markdown_scan import CITATION_RE, GLOSSARY_PREFIX
from lawguide.content.site import Site
from lawguide.content.urls import FINDER_PAGE, finder_flow_path, finder_node_path, href
from lawguide.render.page import (
    ambiguous_short_cites,
    bare_citation,
    bracket_citations,
    html_attr,
    is_bare_citation,
    law_change_notice,
    long_date,
    raw_html_text,
    render_citation,
)
from lawguide.render.wording import plain_words

ROOT_ATTR = "data-lawguide-finder"
PRIVACY_NOTE = ("Your answers are not sent anywhere and not stored. With JavaScript on, they are kept in this "
                "page's address, after the # sign. If you share or bookmark the link, your answers go with it.")
START_TITLE = "Find the answer for your situation"
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")


def finder_pages(site: Site) -> dict[str, str]:
    """Every page of the route finder: path relative to docs/ -> Markdown. None without flows."""
    if not site.flows:
        return {}
    pages = {FINDER_PAGE: start_page(site)}
    for flow in site.flows.values():
        pages[finder_flow_path(flow.id)] = flow_page(site, flow)
        for question in flow.questions.values():
            pages[finder_node_path(flow.id, question.id)] = question_page(site, flow, question)
        for outcome in flow.outcomes.values():
            pages[finder_node_path(flow.id, outcome.id)] = outcome_page(site, flow, outcome)
    return pages


# --- the pages --------------------------------------------------------------------------------

def _meta_text(text: str) -> str:
    """A title or description for front matter. Every adapter's safety pass (render.safety) escapes these
    before the theme prints them; the angle brackets of a tag are swapped out here as well, a second
    guard (no flow needs them in a title: the page's own <h1> shows the exact, escaped text)."""
    return json.dumps(text.replace("<", "\u2039").replace(">", "\u203a"), ensure_ascii=False)


def _front(title: str, description: str = "", *, search: bool = True, exit_this_page: bool = False) -> list[str]:
    out = ["---", f"title: {_meta_text(title)}"]
    if description:
        out.append(f"description: {_meta_text(description)}")
    if not search:  # search finds the guide's own pages and, for a situation, the finder's start page
        out += ["search:", "  exclude: true"]
    if exit_this_page:  # the theme's "Exit this page" control (safeguarding flows)
        out.append("exit_this_page: true")
    return [*out, "---", ""]


def _root(kind: str, flow: Flow | None = None, extra: str = "") -> str:
    attrs = f' data-flow="{html_attr(flow.id)}" data-start="{html_attr(flow.start)}"' if flow else ""
    return f'<div class="lg-finder lg-finder--{kind}" {ROOT_ATTR}="{kind}"{attrs}{extra}>'


def start_page(site: Site) -> str:
    out = _front(START_TITLE, "A few plain questions that take you to what the law gives your family.")
    out += [_root("start"), f"<h1>{START_TITLE}</h1>",
            "<p>Answer a few questions. We take you to what the law says for your situation, the page that "
            "explains it, a model letter if there is one, and who can help.</p>",
            f'<p class="lg-finder__privacy">{raw_html_text(PRIVACY_NOTE)}</p>',
            '<ul class="lg-finder__flows">']
    for flow in site.flows.values():
        link = href(site, FINDER_PAGE, finder_flow_path(flow.id))
        out.append(f'<li><a class="lg-finder__flow" href="{html_attr(link)}">{raw_html_text(flow.title)}</a>'
                   f'<br><span class="lg-finder__flow-summary">{raw_html_text(flow.summary)}</span></li>')
    out += ["</ul>", "<p>This is not legal advice. It covers the law in England only.</p>", "</div>", ""]
    return "\n".join(out)


def flow_page(site: Site, flow: Flow) -> str:
    """The whole flow in one page: the first question shown, every other node hidden until finder.js
    shows it (without JavaScript, answers link to the nodes' own pages)."""
    here = finder_flow_path(flow.id)
    first = flow.questions[flow.start]
    # Out of search: the flow page holds every outcome's text, and outcomes are short answers that point
    # to the guide's sections; in search they outranked the sections themselves (84% of parents'
    # searches found a right page in the top three with them, 99% without).
    out = _front(f"{flow.title}: {first.text}", flow.summary, search=False, exit_this_page=flow.exit_this_page)
    out += [_root("flow", flow), '<div class="lg-finder__summary" data-finder-summary hidden></div>']
    for question in flow.questions.values():
        out += _question_section(site, flow, question, here, hidden=question.id != flow.start)
    for outcome in flow.outcomes.values():
        out += _outcome_section(site, flow, outcome, here, hidden=True, in_flow=True)
    # Under the question, not above it: the question comes first on a phone's screen.
    out += _restart(site, flow, here) + [f'<p class="lg-finder__privacy">{raw_html_text(PRIVACY_NOTE)}</p>', "</div>", ""]
    return "\n".join(out)


def question_page(site: Site, flow: Flow, question: Question) -> str:
    here = finder_node_path(flow.id, question.id)
    out = _front(f"{question.text} ({flow.title})", search=False, exit_this_page=flow.exit_this_page)
    out += [_root("question", flow)]
    out += _question_section(site, flow, question, here, hidden=False)
    out += _restart(site, flow, here) + ["</div>", ""]
    return "\n".join(out)


def outcome_page(site: Site, flow: Flow, outcome: Outcome) -> str:
    here = finder_node_path(flow.id, outcome.id)
    out = _front(outcome.title, plain_words(outcome.body), search=False, exit_this_page=flow.exit_this_page)
    out += [_root("outcome", flow)]
    out += _outcome_section(site, flow, outcome, here, hidden=False, in_flow=False)
    out += _restart(site, flow, here) + ["</div>", ""]
    return "\n".join(out)


# --- the parts --------------------------------------------------------------------------------

def _section(kind: str, node_id: str, hidden: bool) -> str:
    hide = " hidden data-search-exclude" if hidden else ""
    return f'<section class="lg-finder__node lg-finder__{kind}" data-node="{html_attr(node_id)}" data-kind="{kind}"{hide}>'


def _back(site: Site, flow: Flow, node_id: str, here: str) -> list[str]:
    """Back to the question that leads here; when several do, to the first question. (With JavaScript,
    finder.js goes back to the question the reader actually came from, answers kept.)"""
    if node_id == flow.start:
        return []
    parents = flow.parents(node_id)
    target = parents[0].id if len(parents) == 1 else flow.start
    label = "Back" if len(parents) == 1 else "Back to the first question"
    link = href(site, here, _node_page(flow, target))
    return [f'<p class="lg-finder__back"><a class="lg-finder__back-link" href="{html_attr(link)}" '
            f'data-finder-back>{label}</a></p>']


def _node_page(flow: Flow, node_id: str) -> str:
    return finder_flow_path(flow.id) if node_id == flow.start else finder_node_path(flow.id, node_id)


def _question_section(site: Site, flow: Flow, question: Question, here: str, hidden: bool) -> list[str]:
    heading_id = f"lg-q-{question.id}"
    out = [_section("question", question.id, hidden), *_back(site, flow, question.id, here),
           f'<h1 class="lg-finder__question" id="{heading_id}">{raw_html_text(question.text)}</h1>']
    described = ""
    if question.hint:
        out.append(f'<p class="lg-finder__hint" id="{heading_id}-hint">{raw_html_text(question.hint)}</p>')
        described = f' aria-describedby="{heading_id}-hint"'
    out.append(f'<ul class="lg-finder__answers" aria-labelledby="{heading_id}"{described}>')
    for index, answer in enumerate(question.answers):
        link = href(site, here, _node_page(flow, answer.next))
        out.append(f'<li><a class="lg-finder__answer" href="{html_attr(link)}" data-next="{html_attr(answer.next)}" '
                   f'data-answer="{index}">{raw_html_text(answer.text)}</a></li>')
    out += ["</ul>", "</section>"]
    return out


def _outcome_section(site: Site, flow: Flow, outcome: Outcome, here: str, hidden: bool, in_flow: bool) -> list[str]:
    page = outcome.page if here == outcome.page.path else replace(outcome.page, path=here)
    out = [_section("outcome", outcome.id, hidden), *_back(site, flow, outcome.id, here),
           f'<h1 class="lg-finder__title">{raw_html_text(outcome.title)}</h1>']
    if flow.reviewed:
        out.append(f'<p class="lg-reviewed">Based on the law as checked on <time datetime="{flow.reviewed.isoformat()}">'
                   f"{long_date(flow.reviewed)}</time></p>")
    notice = law_change_notice(site, page)
    if notice:
        out.append(notice.replace('id="law-change-notice"', "" if in_flow else 'id="law-change-notice"'))
    out.append(f'<p class="lg-finder__body">{render_body(site, page, outcome.body)}</p>')
    # With JavaScript the answers that led here are listed in this box ("Shown because you said").
    out.append('<div class="lg-finder__because" data-finder-because hidden></div>')
    if outcome.deadline:
        out.append(f'<p class="lg-finder__deadline"><strong>Deadline:</strong> {raw_html_text(outcome.deadline)}</p>')
    out += ['<h2 class="lg-finder__h2">Read more</h2>', '<ul class="lg-finder__read">']
    out += [f"<li>{_section_link(site, here, link)}</li>" for link in outcome.read]
    out.append("</ul>")
    if outcome.letter:
        out += ['<h2 class="lg-finder__h2">Model letter</h2>',
                f'<p class="lg-finder__letter">{_section_link(site, here, outcome.letter, letter=True)}</p>']
    if outcome.call:
        out += ['<h2 class="lg-finder__h2">Who to call</h2>', f'<p class="lg-finder__call">{call_html(outcome.call)}</p>']
    if in_flow:
        link = href(site, here, finder_node_path(flow.id, outcome.id))
        out.append(f'<p class="lg-finder__permalink">A link to this answer that does not include your answers: '
                   f'<a href="{html_attr(link)}">{raw_html_text(outcome.title)}</a></p>')
    else:
        out += _for_whom(flow, outcome)
    out.append("</section>")
    return out


# A UK number as people write it: 0, a digit 1-9 (00 starts an international number), then 8 or 9 more
# digits (10 or 11 in all), single spaces allowed between them ("0808 808 3555", "020 7946 0000").
# Not part of a longer run of digits or a word; 999 and 111 stay text.
_UK_PHONE = re.compile(r"(?<![\w+])0[1-9](?: ?\d){8,9}(?!\w)")


def call_html(text: str) -> str:
    """A `call:` value as HTML: escaped text, each UK phone number in it a tel: link, so a phone dials it with
    one tap. The link shows the number as written; the address is the number in +44 form."""
    out, start = [], 0
    for match in _UK_PHONE.finditer(text):
        digits = match.group().replace(" ", "")
        out += [raw_html_text(text[start:match.start()]),
                f'<a href="tel:+44{digits[1:]}">{raw_html_text(match.group())}</a>']
        start = match.end()
    return "".join(out) + raw_html_text(text[start:])


def _for_whom(flow: Flow, outcome: Outcome) -> list[str]:
    """On the outcome's own page (no answers known): the answers that lead here."""
    pairs = [(q.text, a.text) for q in flow.parents(outcome.id) for a in q.answers if a.next == outcome.id]
    if not pairs:
        return []
    items = "".join(f"<li>{raw_html_text(q)} {raw_html_text(a)}</li>" for q, a in pairs)
    return [f'<div class="lg-finder__for-whom"><p>This answer is for you if you said:</p><ul>{items}</ul></div>']


def _section_link(site: Site, here: str, link: SectionLink, letter: bool = False) -> str:
    target = site.pages.get(link.path)
    heading = target.heading(link.anchor) if target and link.anchor else None
    text = plain_words(heading.text) if heading else (target.title if target else link.path)
    if letter and target:
        text = target.title
    url = href(site, here, link.path, link.anchor)
    return f'<a href="{html_attr(url)}">{raw_html_text(text)}</a>'


def _restart(site: Site, flow: Flow, here: str) -> list[str]:
    link = href(site, here, finder_flow_path(flow.id))
    start = href(site, here, FINDER_PAGE)
    return [f'<p class="lg-finder__restart"><a class="lg-finder__restart-link" href="{html_attr(link)}" '
            f'data-finder-restart>Start again</a> <span aria-hidden="true">·</span> '
            f'<a href="{html_attr(start)}">Other questions</a></p>']


# --- text -------------------------------------------------------------------------------------

def render_body(site: Site, page, body: str) -> str:
    """An outcome's 2 or 3 sentences: citations and glossary links as on a guide page, **bold** and
    *emphasis*, everything else text (escaped; links belong in `read`, which the check enforces)."""
    full = ambiguous_short_cites(site, page)
    out, pos, run = [], 0, []  # run: bare citations side by side so far, shown in one pair of brackets
    for match in CITATION_RE.finditer(body):
        target, words = match.group(1).strip(), (match.group(2) or "").strip()
        glossary = target.startswith(GLOSSARY_PREFIX)
        target = target[len(GLOSSARY_PREFIX):].strip() if glossary else target
        between = body[pos:match.start()]
        if run and (between.strip() or not is_bare_citation(site, target, words, glossary)):
            out.append(bracket_citations(site, page.path, run))
            run = []
        if not run:
            out.append(_inline(between))
        if is_bare_citation(site, target, words, glossary):
            run.append(bare_citation(site, page.path, site.register.refs[target], raw_html_text, full))
        else:
            out.append(render_citation(site, page.path, target, words, glossary, escape=raw_html_text, full_cite=full))
        pos = match.end()
    if run:
        out.append(bracket_citations(site, page.path, run))
    out.append(_inline(body[pos:]))
    return "".join(out)


def _inline(text: str) -> str:
    escaped = html.escape(" ".join(text.split("\n")), quote=False)
    escaped = _EM.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", escaped))
    # What is left of Markdown's punctuation is text: as character references, so nothing reads it again.
    return re.sub(r"[\\`*_\[\]{}|]", lambda m: f"&#{ord(m.group(0))};", escaped)
