"""The real guide scaled up for `lawguide bench`: whole folders, links adjusted, a copy that checks clean."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from lawguide.core.settings import Settings
from lawguide.guide import load_guide
from lawguide.tools.bench import BenchError, build, make_sites, write_hooks_markdown
from lawguide.tools.realcopy import copies_for, deepen_links, make_real_copy

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "mkdocs.yml"


def test_copies_are_whole_folders_nearest_the_size_asked():
    assert copies_for(37, 1000) == 26  # 27 x 37 = 999 pages
    assert copies_for(37, 2000) == 53
    assert copies_for(37, 10) == 0  # never fewer pages than the guide has
    assert copies_for(0, 100) == 0


def test_links_to_pages_that_were_not_copied_go_one_folder_further_up():
    pages = {"a.md", "sub/b.md"}
    text = "[b](sub/b.md) [law](law/index.md#x) [img](assets/x.png) [ext](https://gov.uk/) [here](#top) [r](/abs)"
    assert deepen_links(text, "a.md", pages) == (
        "[b](sub/b.md) [law](../law/index.md#x) [img](../assets/x.png) [ext](https://gov.uk/) [here](#top) [r](/abs)")
    assert deepen_links("[a](../a.md) [g](../glossary.md#pa)", "sub/b.md", pages) == "[a](../a.md) [g](../../glossary.md#pa)"


def test_the_real_guide_scaled_up_checks_clean_with_and_without_hooks(tmp_path: Path):
    on = make_real_copy(CONFIG, tmp_path / "on", 3 * _real_pages(), hooks=True)
    assert on.copies == 2 and on.pages == 3 * _real_pages()
    assert (on.root / "docs" / "copy02" / "index.md").is_file()
    config = (on.root / "mkdocs.yml").read_text()
    assert "/copy01/" in config and "/copy02/" in config and "lawguide_hooks.py" in config
    site = load_guide(Settings.from_mkdocs_yml(on.root / "mkdocs.yml"))
    assert [p.format() for p in site.problems] == []
    assert len(site.pages) == on.pages

    off = make_real_copy(CONFIG, tmp_path / "off", 2 * _real_pages(), hooks=False)
    off_config = (off.root / "mkdocs.yml").read_text()
    assert "hooks" not in off_config and "law/index.md" not in off_config  # no generated pages without hooks
    for page in (off.root / "docs").rglob("*.md"):
        text = page.read_text()
        assert "[[" not in text, page  # every citation and glossary link is plain text
        assert not re.search(r"\]\((\.\./)*(law/|glossary\.md|changes\.md)", text), page
    build(off.root, tmp_path / "site-off")  # strict: raises with the engine's output if anything is wrong
    assert (tmp_path / "site-off" / "copy01" / "index.html").is_file()


def test_a_copy_with_a_problem_stops_the_benchmark_with_the_problem(tmp_path: Path):
    project = tmp_path / "guide"
    make_real_copy(CONFIG, project, 1, hooks=True)  # the guide itself, no copies
    page = project / "docs" / "index.md"
    page.write_text(page.read_text() + "\nSee [[no-such-ref]].\n")
    hooks_root, _, _ = make_sites(60, tmp_path / "work", project / "mkdocs.yml", synthetic=False)
    with pytest.raises(BenchError) as error:
        write_hooks_markdown(hooks_root, tmp_path / "stock")
    assert "problem(s) in the copy to benchmark" in str(error.value)
    assert "docs/index.md:" in str(error.value) and "no-such-ref" in str(error.value)


def test_bench_without_a_guide_says_to_pass_one_or_use_synthetic(tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "lawguide.cli", "bench", "--sizes", "20"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 1
    assert "no mkdocs.yml or properdocs.yml found to scale up; pass --config, or --synthetic" in result.stderr


def _real_pages() -> int:
    return sum(1 for _ in (ROOT / "docs").rglob("*.md"))
