"""The built documentation site, opened in a real headless browser with the network cut off:
every formula is typeset by the local MathJax, and no internal link or anchor is broken.

These tests need the built site and Chromium, so they are marked ``browser`` and deselected by
default. Run them after building the site with its local MathJax::

    python tools/fetch_mathjax.py
    sphinx-build -W --keep-going -b html docs docs/_build/html
    pytest -m browser tests/test_docs_site.py

They are skipped (with the reason) when the site is not built or Chromium is not installed,
unless ``GANTHEORY_REQUIRE_BROWSER=1`` (CI), which turns a skip into a failure.
``GANTHEORY_DOCS_HTML`` points them at another build directory, ``GANTHEORY_CHROMIUM`` at
another browser binary.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

import pytest

from gantheory.catalogue import anchor, tutorial_anchor
from gantheory.claims import registry
from gantheory.tutorials import TUTORIALS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("GANTHEORY_DOCS_HTML", ROOT / "docs" / "_build" / "html"))
BUILD = (
    "python tools/fetch_mathjax.py && sphinx-build -W --keep-going -b html docs docs/_build/html"
)
REQUIRED = os.environ.get("GANTHEORY_REQUIRE_BROWSER", "") not in ("", "0")

#: Flags for headless Chromium as root in a container, with no network at all: every host name
#: resolves to nothing, so a page that needed a CDN would show raw LaTeX and fail the test.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--no-first-run", "--no-default-browser-check",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
#: Virtual time the page's scripts get before the DOM is dumped (MathJax needs well under 1 s
#: of it per page here; virtual time runs faster than the clock while the page is idle).
VIRTUAL_TIME_MS = 10_000


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason} (GANTHEORY_REQUIRE_BROWSER is set)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        _unavailable(f"the docs site is not built at {SITE}: run `{BUILD}`")
    return SITE


@pytest.fixture(scope="module")
def chromium() -> str:
    names = [os.environ.get("GANTHEORY_CHROMIUM", ""), "chromium", "chromium-browser",
             "google-chrome", "google-chrome-stable"]
    for name in names:
        if name and (path := shutil.which(name)):
            return path
    _unavailable("Chromium is not installed (Debian: `apt-get install -y chromium`)")
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------------------
# Reading HTML
# ---------------------------------------------------------------------------------------------
class _Page(HTMLParser):
    """The ids, the local link targets, the math and the visible text of one HTML page."""

    _SKIP_TEXT: ClassVar[set[str]] = {
        "script", "style", "pre", "code", "mjx-container", "mjx-assistive-mml", "textarea"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag.attribute, value)
        self.math = 0  # elements Sphinx marks as math for MathJax
        self.mjx = 0  # MathJax output elements
        self.merror = 0  # MathJax error elements (an undefined macro, a parse error)
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.ids.add(a[key])
        for key in ("href", "src"):
            if key in a:
                self.links.append((f"{tag}.{key}", a[key]))
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        if "math" in a.get("class", "").split():
            self.math += 1
        self.mjx += tag == "mjx-container"
        self.merror += tag == "mjx-merror"
        if tag in self._SKIP_TEXT:
            self._skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


@cache
def _parsed(path: Path) -> _Page:
    return parse(path.read_text(encoding="utf-8", errors="replace"))


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def broken_links(site: Path) -> list[str]:
    """Every local ``href``/``src`` of every page whose file, or whose ``#anchor``, is missing."""
    broken = []
    for page in _pages(site):
        for where, value in _parsed(page).links:
            url = urlsplit(value)
            if url.scheme or value.startswith("//"):
                continue  # external (http, https, mailto, data, javascript): not ours to check
            target = page if not url.path else (page.parent / unquote(url.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            name = f"{page.relative_to(site)}: {where}={value!r}"
            if not target.is_file():
                broken.append(f"{name}: no file {target}")
                continue
            fragment = unquote(url.fragment)
            if fragment and target.suffix == ".html" and fragment not in _parsed(target).ids:
                broken.append(f"{name}: no anchor #{fragment} in {target.relative_to(site)}")
    return broken


# ---------------------------------------------------------------------------------------------
# Links and anchors (the built files only)
# ---------------------------------------------------------------------------------------------
def test_no_internal_link_is_broken(site: Path) -> None:
    pages = _pages(site)
    assert len(pages) > 20 and sum(len(_parsed(p).links) for p in pages) > 1000
    broken = broken_links(site)
    assert not broken, f"{len(broken)} broken link(s):\n" + "\n".join(broken[:50])


def test_every_claim_and_tutorial_text_has_its_stable_anchor(site: Path) -> None:
    claims = _parsed(site / "claims.html").ids
    missing = [c.id for c in registry() if anchor(c.id) not in claims]
    assert not missing, f"claims.html lacks the anchors of {missing}"
    tutorials = _parsed(site / "tutorials.html").ids
    wanted = {tutorial_anchor(t.key).replace("_", "-") for t in TUTORIALS}  # docutils' ids
    assert wanted <= tutorials, sorted(wanted - tutorials)


def test_the_link_checker_finds_a_broken_link_and_anchor(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<a href="b.html#here">ok</a> <a href="b.html#gone">anchor</a> <a href="c.html">file</a>'
        ' <img src="_static/x.png"> <a href="https://example.org/">ext</a> <a href="#top">t</a>'
        '<span id="top"></span>'
    )
    (tmp_path / "b.html").write_text('<h1 id="here">B</h1>')
    found = broken_links(tmp_path)
    assert len(found) == 3 and {"#gone" in s or "c.html" in s or "x.png" in s for s in found}
    assert any("no anchor #gone" in s for s in found)


# ---------------------------------------------------------------------------------------------
# Math, typeset in the browser
# ---------------------------------------------------------------------------------------------
def _dump_dom(chromium: str, page: Path, profile: Path) -> str:
    """The DOM of ``page`` after its scripts ran, from headless Chromium without network."""
    proc = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
         f"--virtual-time-budget={VIRTUAL_TIME_MS}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    if proc.returncode != 0 or "<html" not in proc.stdout:
        raise AssertionError(
            f"chromium failed on {page} ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc.stdout


_RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]")


def math_problems(static: _Page, typeset: _Page) -> list[str]:
    """What is wrong with a page's math after the browser ran MathJax on it."""
    problems = []
    if typeset.mjx < static.math:
        problems.append(f"{typeset.mjx} typeset formulas for {static.math} math elements")
    if typeset.merror:
        problems.append(f"{typeset.merror} MathJax error(s) (mjx-merror)")
    text = "".join(typeset.text)
    if raw := _RAW_TEX.findall(text):
        at = _RAW_TEX.search(text)
        context = text[max(0, at.start() - 40) : at.end() + 40] if at else ""
        problems.append(f"{len(raw)} raw TeX delimiter(s) left in the text, e.g. {context!r}")
    return problems


def test_every_formula_is_typeset_offline_by_the_local_mathjax(
    site: Path, chromium: str, tmp_path: Path
) -> None:
    pages = [p for p in _pages(site) if _parsed(p).math]
    assert len(pages) >= 10, "too few pages with math: is the build complete?"
    for page in pages:  # MathJax is the local copy, never a CDN
        srcs = [s for s in _parsed(page).scripts if "mathjax" in s.lower()]
        assert srcs and all(not urlsplit(s).scheme and "_static/mathjax/" in s for s in srcs), (
            page, srcs)
    with ThreadPoolExecutor(max_workers=2) as pool:
        doms = list(pool.map(lambda ip: _dump_dom(chromium, ip[1], tmp_path / f"p{ip[0]}"),
                             enumerate(pages)))
    problems = {}
    for page, dom in zip(pages, doms, strict=True):
        found = math_problems(_parsed(page), parse(dom))
        if found:
            problems[str(page.relative_to(site))] = found
    assert not problems, "\n".join(f"{p}: {'; '.join(v)}" for p, v in problems.items())
    n = sum(_parsed(p).math for p in pages)
    assert n > 500, n  # the site has hundreds of formulas; all of them were typeset


def test_the_math_check_detects_untypeset_math() -> None:
    static = parse('<p><span class="math notranslate">\\(x^2\\)</span></p>')
    assert math_problems(static, static)  # the DOM before MathJax: raw TeX, no mjx-container
    done = parse("<p><mjx-container>x</mjx-container></p>")
    assert not math_problems(static, done)
    bad = parse("<p><mjx-container><mjx-merror>\\foo</mjx-merror></mjx-container></p>")
    assert math_problems(static, bad) == ["1 MathJax error(s) (mjx-merror)"]
