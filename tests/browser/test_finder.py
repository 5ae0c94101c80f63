"""The route finder in Chromium, as a parent would use it, on the real build (issue 20).

Every path of every flow is walked twice: with JavaScript, clicking answers in the one-page flow, and
without, following the plain links from page to page. The flows are found in the project's finder/
folder (content.flows), so every flow added there is walked with no change here. Each walk must reach
an outcome, and no request may leave 127.0.0.1; nothing may be stored.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe

from .conftest import DESKTOP, REPO, ServedSite
from .test_every_page import AXE_OPTIONS, MEASURE_WIDTH_JS, _describe

pytestmark = pytest.mark.browser

# Records every write to storage or cookies the page makes, from before any script of the page runs.
STORAGE_SPY = """(() => {
  window.__lgWrites = [];
  const note = (what) => window.__lgWrites.push(what);
  for (const name of ['setItem', 'removeItem', 'clear']) {
    const original = Storage.prototype[name];
    Storage.prototype[name] = function (...args) { note('storage.' + name + ' ' + args[0]); return original.apply(this, args); };
  }
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(document, 'cookie', {get() { return cookie.get.call(document); },
                                             set(v) { note('cookie ' + v); cookie.set.call(document, v); }});
  if (window.indexedDB) {
    const open = indexedDB.open.bind(indexedDB);
    indexedDB.open = (...args) => { note('indexedDB ' + args[0]); return open(...args); };
  }
})();"""


@functools.lru_cache(maxsize=1)
def flows() -> dict:
    """The project's flows, as the build read them."""
    from lawguide.content.site import load_site
    from lawguide.core.settings import Settings

    return load_site(Settings.from_mkdocs_yml(REPO / "mkdocs.yml")).flows


def every_path(flow) -> list[list[int]]:
    """Every route from the first question to an outcome, as answer numbers (the check proves there is
    no loop, so this ends)."""
    out: list[list[int]] = []

    def walk(node_id: str, route: list[int]) -> None:
        question = flow.questions.get(node_id)
        if question is None:
            out.append(route)
            return
        for index, answer in enumerate(question.answers):
            walk(answer.next, route + [index])

    walk(flow.start, [])
    return out


def flow_ids() -> list[str]:
    return sorted(flows())


def test_there_is_at_least_one_flow_to_walk() -> None:
    assert flow_ids(), "no flow in finder/: the route finder has nothing to walk"


@pytest.fixture()
def spied(page):
    page.add_init_script(STORAGE_SPY)
    return page


def visible_node(page) -> tuple[str, str]:
    return tuple(page.evaluate("""() => {
      const s = [...document.querySelectorAll('[data-lawguide-finder="flow"] section[data-node]')].filter(n => !n.hidden);
      return s.length === 1 ? [s[0].dataset.node, s[0].dataset.kind] : ['', String(s.length)];
    }"""))


def open_flow(page, site: ServedSite, flow_id: str, settle: bool = True) -> None:
    """The flow's page, loaded and at its first question; loaded once and then Start again, which a
    parent uses too (and which must leave nothing behind: each walk checks every answer it shows)."""
    restart = page.locator("[data-lawguide-finder] [data-finder-restart]:visible")
    if urlsplit(page.url).path == f"/finder/{flow_id}/" and restart.count():
        restart.first.click()
        page.wait_for_function("() => location.hash === ''")
        return
    page.goto(site.url(f"/finder/{flow_id}/"))
    page.wait_for_selector('[data-lawguide-finder="flow"].lg-finder--js')
    if settle:
        page.wait_for_load_state("networkidle")  # the page's own files (the favicon comes last)


@pytest.mark.parametrize("flow_id", flow_ids())
def test_every_path_with_javascript_reaches_its_outcome_privately(spied, site: ServedSite, request_log, flow_id):
    page, flow = spied, flows()[flow_id]
    for route in every_path(flow):
        open_flow(page, site, flow_id)
        mark = request_log.mark()
        node, expected = flow.start, []
        for index in route:
            question = flow.questions[node]
            assert visible_node(page) == (node, "question"), f"{flow_id} {route}: expected question {node}"
            page.locator(f'section[data-node="{node}"] a.lg-finder__answer').nth(index).click()
            expected.append(f"{question.text} {question.answers[index].text}")
            node = question.answers[index].next
        assert visible_node(page) == (node, "outcome"), f"{flow_id} {route}: did not reach outcome {node}"
        because = page.eval_on_selector_all(
            f'section[data-node="{node}"] [data-finder-because] li',
            "els => els.map(li => li.querySelector('.lg-finder__given-q').textContent + li.querySelector('strong').textContent)")
        assert [" ".join(b.split()) for b in because] == [" ".join(e.split()) for e in expected], (
            f"{flow_id} {route}: 'Shown because you said' should list every answer given")
        assert page.locator(f'section[data-node="{node}"] [data-finder-because] a[data-finder-change]').count() == len(route)
        url = urlsplit(page.url)
        assert not url.query and url.fragment == "answers=" + ".".join(map(str, route)), page.url
        # Chromium fetches the tab's icon again when the address changes: the browser's own request, for a
        # file of this site; the script makes none.
        made = [u for u in request_log.since(mark) if not u.endswith("/assets/images/favicon.png")]
        assert made == [], f"{flow_id} {route}: answering made requests: {made}"
        assert all(site.is_local(u) for u in request_log.since(mark)), request_log.since(mark)
        assert page.evaluate("window.__lgWrites") == [], f"{flow_id}: something was stored"


@pytest.fixture(scope="module")
def no_js(browser, site: ServedSite):
    ctx = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    requests: list[str] = []
    ctx.on("request", lambda req: requests.append(req.url))
    tab = ctx.new_page()
    tab.set_default_timeout(10_000)
    yield tab, requests
    ctx.close()


def finder_links(page) -> list[str]:
    return page.eval_on_selector_all("[data-lawguide-finder] a[href]", "els => els.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("flow_id", flow_ids())
def test_every_path_without_javascript_follows_links_to_an_outcome(no_js, site: ServedSite, flow_id):
    """Each page is loaded once; every route is then followed through the links the built pages hold."""
    page, requests = no_js
    flow = flows()[flow_id]
    seen: dict[str, tuple[str, list[str]]] = {}  # url path -> (kind, answer link paths)
    queue = [f"/finder/{flow_id}/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = page.goto(site.url(path))
        assert response and response.ok, f"{path}: {response.status if response else 'no response'}"
        kind = page.get_attribute("[data-lawguide-finder]", "data-lawguide-finder")
        for link in finder_links(page):
            target = urlsplit(urljoin(path, link))
            if target.scheme or target.netloc:
                continue
            file = site.root / target.path.lstrip("/")
            assert (file / "index.html").exists() or file.is_file(), f"{path}: link {link} does not resolve"
            if target.fragment:
                html = (file / "index.html").read_text(encoding="utf-8")
                assert f'id="{target.fragment}"' in html, f"{path}: link {link}: no #{target.fragment} there"
        answers = [urlsplit(urljoin(path, a)).path for a in page.eval_on_selector_all(
            "[data-lawguide-finder] section:not([hidden]) a.lg-finder__answer", "els => els.map(a => a.getAttribute('href'))")]
        seen[path] = ("outcome" if kind == "outcome" else "question", answers)
        if kind not in ("outcome",):
            assert answers, f"{path}: a question page with no answers (a dead end)"
        queue += answers
    for route in every_path(flow):
        path, steps = f"/finder/{flow_id}/", 0
        for index in route:
            kind, answers = seen[path]
            assert kind == "question" and index < len(answers), f"{flow_id} {route}: the page {path} has no answer {index}"
            path, steps = answers[index], steps + 1
        expected = flow.questions[flow.start]
        for index in route:
            expected = flow.node(expected.answers[index].next)
        assert seen[path][0] == "outcome" and path == f"/finder/{flow_id}/{expected.id}/", (
            f"{flow_id} {route}: following links ended at {path}, not the outcome {expected.id}")
    outside = [u for u in requests if not site.is_local(u)]
    assert not outside, f"requests left 127.0.0.1: {outside}"


def first_route_of_length(flow, length: int) -> list[int] | None:
    return next((r for r in every_path(flow) if len(r) >= length), None)


def test_back_keeps_answers_and_change_drops_those_that_no_longer_apply(spied, site: ServedSite):
    flow_id, route = next(((f, r) for f in flow_ids() if (r := first_route_of_length(flows()[f], 2))), (None, None))
    if flow_id is None:
        pytest.skip("no flow has two questions in a row")
    flow, page = flows()[flow_id], spied
    page.goto(site.url(f"/finder/{flow_id}/"))
    page.wait_for_selector(".lg-finder--js")
    first, second = flow.questions[flow.start], flow.questions[flow.questions[flow.start].answers[route[0]].next]
    page.locator(f'section[data-node="{first.id}"] a.lg-finder__answer').nth(route[0]).click()
    page.locator(f'section[data-node="{second.id}"] a.lg-finder__answer').nth(route[1]).click()
    page.go_back()  # the browser's own Back button
    assert visible_node(page) == (second.id, "question")
    chosen = page.locator(f'section[data-node="{second.id}"] a.lg-finder__answer[aria-current="true"]')
    assert chosen.count() == 1 and second.answers[route[1]].text in chosen.inner_text(), "Back lost the answer given"
    # the in-page Back link too
    page.locator(f'section[data-node="{second.id}"] [data-finder-back]').click()
    assert visible_node(page) == (first.id, "question")
    assert page.locator(f'section[data-node="{first.id}"] a[aria-current="true"]').count() == 1
    # The same answer again keeps the rest of the route; then Change from the summary, whose link's
    # accessible name holds the whole question
    page.locator(f'section[data-node="{first.id}"] a.lg-finder__answer').nth(route[0]).click()
    assert visible_node(page) == (second.id, "question")
    assert page.locator(f'section[data-node="{second.id}"] a[aria-current="true"]').count() == 1
    change = page.get_by_role("link", name=f"Change your answer to: {first.text}")
    assert change.count() == 1, "the Change link's accessible name should hold the question"
    change.click()
    assert visible_node(page) == (first.id, "question")
    other = next(i for i, a in enumerate(first.answers) if a.next != first.answers[route[0]].next)
    page.locator(f'section[data-node="{first.id}"] a.lg-finder__answer').nth(other).click()
    given = page.locator(".lg-finder__given:visible li").all_inner_texts()
    assert given and first.answers[other].text in given[0]
    assert not any(second.text in g for g in given) or second.id in _route_nodes(flow, first.answers[other].next), (
        "an answer to a question no longer on the route was kept")


def _route_nodes(flow, start: str) -> set[str]:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        question = flow.questions.get(node)
        stack += [a.next for a in question.answers] if question else []
    return seen


def test_start_again_clears_the_answers_without_a_new_history_entry(spied, site: ServedSite):
    flow_id = flow_ids()[0]
    flow, page = flows()[flow_id], spied
    page.goto(site.url(f"/finder/{flow_id}/"))
    page.wait_for_selector(".lg-finder--js")
    page.locator(f'section[data-node="{flow.start}"] a.lg-finder__answer').first.click()
    length = page.evaluate("history.length")
    page.locator('[data-lawguide-finder] [data-finder-restart]').click()
    assert urlsplit(page.url).fragment == "" and visible_node(page) == (flow.start, "question")
    assert page.evaluate("history.length") == length
    assert page.locator("[data-finder-summary]").is_hidden()


def test_start_page_and_flow_pages_say_answers_stay_after_the_hash(page, site: ServedSite):
    for path in ["/finder/", *[f"/finder/{f}/" for f in flow_ids()]]:
        page.goto(site.url(path))
        assert "after the # sign" in page.inner_text("[data-lawguide-finder]"), path


def test_home_page_links_to_the_finder(page, site: ServedSite):
    page.goto(site.url("/"))
    link = page.get_by_role("link", name="Answer a few questions")
    assert link.count() >= 1
    box = link.first.bounding_box()
    page.set_viewport_size({"width": 375, "height": 800})
    box = link.first.bounding_box()
    assert box and box["y"] < 800 * 1.5, "the finder link should be near the top on a phone"


def _node_urls() -> list[str]:
    out = []
    for flow_id in flow_ids():
        flow = flows()[flow_id]
        question = next((q for q in flow.questions if q != flow.start), flow.start)
        out += [f"/finder/{flow_id}/{question}/", f"/finder/{flow_id}/{next(iter(flow.outcomes))}/"]
    return ["/finder/", *out[:4]]


@pytest.mark.parametrize("path", _node_urls())
def test_finder_pages_pass_axe_and_fit_320px(page, site: ServedSite, path: str):
    page.goto(site.url(path))
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{path}: axe-core violations:\n" + "\n".join(_describe(v) for v in violations)
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate(MEASURE_WIDTH_JS)
    assert width["scrollWidth"] <= width["clientWidth"] + 1, f"{path}: scrolls sideways at 320px ({width})"


def test_flow_run_in_one_page_passes_axe_at_an_outcome_and_fits_320px(spied, site: ServedSite):
    flow_id = flow_ids()[0]
    flow, page = flows()[flow_id], spied
    route = every_path(flow)[0]
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(site.url(f"/finder/{flow_id}/#answers=" + ".".join(map(str, route))))
    page.wait_for_selector(".lg-finder--js")
    assert visible_node(page)[1] == "outcome"
    width = page.evaluate(MEASURE_WIDTH_JS)
    assert width["scrollWidth"] <= width["clientWidth"] + 1, f"scrolls sideways at 320px ({width})"
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, "axe-core violations:\n" + "\n".join(_describe(v) for v in violations)


def test_exit_this_page_is_offered_on_flows_that_ask_for_it(page, site: ServedSite):
    exit_flows = [f for f in flow_ids() if flows()[f].exit_this_page]
    if not exit_flows:
        pytest.skip("no flow sets exit_this_page: true")
    if "data-lg-exit" not in (REPO / "theme" / "main.html").read_text(encoding="utf-8"):
        pytest.skip("the theme has no Exit this page control yet")
    for flow_id in exit_flows:
        page.goto(site.url(f"/finder/{flow_id}/"))
        assert page.locator("[data-lg-exit]").count() == 1, flow_id


def test_every_printed_outcome_fits_one_sheet(page, site: ServedSite):
    too_long = []
    for flow_id in flow_ids():
        for outcome in flows()[flow_id].outcomes.values():
            page.goto(site.url(f"/finder/{flow_id}/{outcome.id}/"))
            sheets = len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))
            if sheets != 1:
                too_long.append(f"/finder/{flow_id}/{outcome.id}/ prints on {sheets} A4 sheets")
    assert not too_long, "\n".join(too_long)


def test_keyboard_only_answers_and_focus_moves_to_the_next_question(spied, site: ServedSite):
    flow_id = flow_ids()[0]
    flow, page = flows()[flow_id], spied
    page.goto(site.url(f"/finder/{flow_id}/"))
    page.wait_for_selector(".lg-finder--js")
    first = flow.questions[flow.start]
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('lg-finder__answer')"):
            break
    else:
        pytest.fail("Tab never reached an answer")
    assert page.evaluate("document.activeElement.textContent.trim()") == first.answers[0].text
    page.keyboard.press("Enter")
    node = first.answers[0].next
    assert visible_node(page)[0] == node
    assert page.evaluate("document.activeElement.tagName") == "H1", "focus should move to the new question or outcome"


SITUATIONS = yaml.safe_load((REPO / "tests" / "data" / "finder_situations.yml").read_text(encoding="utf-8"))


def route_of(situation: dict) -> tuple[list[int], str]:
    """The answer numbers a situation's answers (by their words) choose, and where they lead."""
    flow = flows()[situation["flow"]]
    node, route = flow.start, []
    for words in situation["answers"]:
        question = flow.questions.get(node)
        assert question is not None, f"{situation['situation']!r}: '{words}' answers nothing: {node} is an outcome"
        texts = [answer.text for answer in question.answers]
        assert words in texts, f"{situation['situation']!r}: no answer '{words}' to '{question.text}': {texts}"
        route.append(texts.index(words))
        node = question.answers[route[-1]].next
    return route, node


def test_thirty_situations_in_parents_words_each_reach_the_outcome_a_good_adviser_would_choose() -> None:
    assert len(SITUATIONS) >= 30
    wrong = [f"{s['situation']!r}: reached {node}, not {s['outcome']}"
             for s in SITUATIONS for _, node in [route_of(s)] if node != s["outcome"]]
    assert not wrong, "\n".join(wrong)


@pytest.fixture(scope="module")
def situation_tab(context) -> Iterator[object]:
    """One tab for every situation: each starts again from its flow's first question (open_flow)."""
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.add_init_script(STORAGE_SPY)
    yield tab
    tab.close()


# In flow order, so that consecutive situations of one flow share its loaded page.
@pytest.mark.parametrize("situation", sorted(SITUATIONS, key=lambda s: s["flow"]),
                         ids=[f"{s['flow']}-{s['outcome']}" for s in sorted(SITUATIONS, key=lambda s: s["flow"])])
def test_a_parent_answering_in_the_browser_reaches_the_situation_s_outcome(situation_tab, site: ServedSite, situation):
    page, (_, outcome) = situation_tab, route_of(situation)
    open_flow(page, site, situation["flow"], settle=False)
    for words in situation["answers"]:
        node = visible_node(page)[0]
        page.locator(f'section[data-node="{node}"] a.lg-finder__answer', has_text=words).first.click()
    assert visible_node(page) == (outcome, "outcome"), f"{situation['situation']!r}: {visible_node(page)}"
