"""The documentation's sources: the generated claims catalogue is current, the bibliography holds
every claim's source with the right venue, year and identifier, and the derivations link real
claims, checks and equations. (The docs build itself, ``sphinx-build -W``, is a CI step.)"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import gantheory
from gantheory import catalogue
from gantheory.claims import registry
from gantheory.tutorials import TUTORIALS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
REGENERATE = "python -m gantheory.catalogue docs/claims.md"


# ---------------------------------------------------------------------------------------------
# A small BibTeX reader (pybtex is only in the `docs` extra): entries with brace-delimited,
# quoted or bare field values, nested braces allowed.
# ---------------------------------------------------------------------------------------------
def _balanced(text: str, start: int, open_: str = "{", close: str = "}") -> int:
    """Index just past the bracket closing the one opened before ``start``."""
    depth = 1
    for i in range(start, len(text)):
        if text[i] == open_:
            depth += 1
        elif text[i] == close:
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError(f"unbalanced braces after offset {start}")


def parse_bib(text: str) -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for m in re.finditer(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", text):
        end = _balanced(text, m.end())
        body = text[m.end() : end - 1]
        fields: dict[str, str] = {"ENTRYTYPE": m.group(1).lower()}
        pos = 0
        while (f := re.compile(r"\s*(\w+)\s*=\s*").match(body, pos)) is not None:
            pos = f.end()
            if body[pos] == "{":
                stop = _balanced(body, pos + 1)
                value = body[pos + 1 : stop - 1]
            elif body[pos] == '"':
                stop = body.index('"', pos + 1) + 1
                value = body[pos + 1 : stop - 1]
            else:
                stop = re.compile(r"[^,\s]+").match(body, pos).end()  # type: ignore[union-attr]
                value = body[pos:stop]
            fields[f.group(1).lower()] = " ".join(value.split())
            pos = stop
            comma = re.compile(r"\s*,?").match(body, pos)
            pos = comma.end() if comma else pos
        assert body[pos:].strip() == "", f"unparsed text in {m.group(2)}: {body[pos:][:60]!r}"
        assert m.group(2) not in entries, f"duplicate BibTeX key {m.group(2)}"
        entries[m.group(2)] = fields
    return entries


@pytest.fixture(scope="module")
def bib() -> dict[str, dict[str, str]]:
    return parse_bib((DOCS / "references.bib").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# The claims catalogue
# ---------------------------------------------------------------------------------------------
def test_committed_catalogue_is_up_to_date() -> None:
    committed = (DOCS / "claims.md").read_text(encoding="utf-8")
    assert committed == catalogue.render(), (
        f"docs/claims.md is stale (the claim registry changed): run `{REGENERATE}` and commit it"
    )


def test_catalogue_has_a_stable_anchor_and_the_statement_of_every_claim() -> None:
    page = catalogue.render()
    for claim in registry():
        label = f"({claim.id.lower()})=\n## {claim.id}: "
        assert label in page, claim.id
        section = page.split(label, 1)[1].split("\n(", 1)[0]
        assert claim.statement in section, claim.id
        assert f"{{cite:p}}`{claim.source}`" in section, claim.id
        for chk in claim.checks:
            assert f"{chk.func.__module__}.{chk.func.__qualname__}>" in section, chk.name


def test_catalogue_check_mode_detects_a_stale_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "claims.md"
    assert catalogue.main([str(out)]) == 0
    assert catalogue.main(["--check", str(out)]) == 0
    out.write_text(out.read_text().replace("Optimal discriminator", "Optimal critic"))
    assert catalogue.main(["--check", str(out)]) == 1
    assert REGENERATE.split(" docs/")[0] in capsys.readouterr().err


def test_catalogue_escapes_markdown_in_titles() -> None:
    from gantheory.claims import Claim

    fake = Claim(id="XX99-T", title="a | b * c_d", statement="x", source="k", reference="r")
    page = catalogue.render([fake])
    assert r"a \| b \* c\_d" in page


# ---------------------------------------------------------------------------------------------
# The bibliography
# ---------------------------------------------------------------------------------------------
def test_every_claim_source_is_in_the_bibliography(bib: dict[str, dict[str, str]]) -> None:
    used = {c.source for c in registry()}
    missing = sorted(used - bib.keys())
    assert not missing, f"claim sources missing from docs/references.bib: {missing}"


#: key -> fields that must hold exactly (venue, year, identifiers), checked against the
#: publishers' records.
EXPECTED = {
    "goodfellow2014generative": {"year": "2014", "eprint": "1406.2661", "pages": "2672--2680"},
    "goodfellow2016nips": {"year": "2016", "eprint": "1701.00160"},
    "arjovsky2017towards": {"year": "2017", "eprint": "1701.04862"},
    "arjovsky2017wasserstein": {"year": "2017", "eprint": "1701.07875", "volume": "70",
                                "pages": "214--223"},
    "nowozin2016fgan": {"year": "2016", "eprint": "1606.00709", "pages": "271--279"},
    "mescheder2018which": {"year": "2018", "eprint": "1801.04406", "volume": "80"},
    "lin1991divergence": {"year": "1991", "volume": "37", "number": "1", "pages": "145--151",
                          "doi": "10.1109/18.61115"},
    "endres2003new": {"year": "2003", "volume": "49", "number": "7", "pages": "1858--1860",
                      "doi": "10.1109/TIT.2003.813506"},
    "wang2019generative": {"year": "2021", "eprint": "1906.01529", "volume": "54",
                           "doi": "10.1145/3439723"},
    "cover2006elements": {"year": "2006", "edition": "Second"},
    "kullback1951information": {"year": "1951", "volume": "22", "pages": "79--86",
                                "doi": "10.1214/aoms/1177729694"},
}
VENUES = {
    "goodfellow2014generative": "Neural Information Processing Systems 27",
    "arjovsky2017towards": "ICLR 2017",
    "arjovsky2017wasserstein": "ICML 2017",
    "nowozin2016fgan": "Neural Information Processing Systems 29",
    "mescheder2018which": "ICML 2018",
    "lin1991divergence": "IEEE Transactions on Information Theory",
    "endres2003new": "IEEE Transactions on Information Theory",
    "wang2019generative": "ACM Computing Surveys",
    "kullback1951information": "Annals of Mathematical Statistics",
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_bibliography_entries(bib: dict[str, dict[str, str]], key: str) -> None:
    entry = bib[key]
    assert {"author", "title", "year"} <= entry.keys()
    for field, value in EXPECTED[key].items():
        assert entry.get(field) == value, f"{key}.{field}: {entry.get(field)!r} != {value!r}"
    if key in VENUES:
        venue = entry.get("booktitle", "") + entry.get("journal", "")
        assert VENUES[key] in venue, f"{key}: venue {venue!r}"


def test_bib_reader_rejects_broken_input() -> None:
    with pytest.raises(ValueError, match="unbalanced"):
        parse_bib("@article{x, title = {a {b}, year = 1}")
    assert parse_bib('@misc{k, year = 2001, title = "T", note = {a {b} c}}')["k"] == {
        "ENTRYTYPE": "misc", "year": "2001", "title": "T", "note": "a {b} c"}


# ---------------------------------------------------------------------------------------------
# Hand-written pages
# ---------------------------------------------------------------------------------------------
DERIVATIONS = (DOCS / "derivations.md").read_text(encoding="utf-8")

#: The derivations the page must carry, by the claims that state them.
REQUIRED_IN_DERIVATIONS = {
    "GAN14-P1", "GAN14-T1", "GAN14-BCE", "GTUT16-MLE", "GAN14-NS", "CT06-GIBBS",
    "LIN91-JSD-BOUNDS", "LIN91-JSD-SYM",
}


def test_derivations_verified_by_boxes_name_registered_claims() -> None:
    boxes = re.findall(r"```\{verified-by\}([^\n]*)\n```", DERIVATIONS)
    ids = [i for box in boxes for i in box.split()]
    known = {c.id for c in registry()}
    assert ids and set(ids) <= known, sorted(set(ids) - known)
    assert REQUIRED_IN_DERIVATIONS <= set(ids), sorted(REQUIRED_IN_DERIVATIONS - set(ids))


def test_derivations_equations_are_labelled_and_referenced_consistently() -> None:
    labels = re.findall(r"^\$\$ \((eq-[a-z0-9-]+)\)$", DERIVATIONS, flags=re.MULTILINE)
    assert len(labels) >= 15 and len(labels) == len(set(labels))
    refs = set(re.findall(r"\{eq\}`(eq-[a-z0-9-]+)`", DERIVATIONS))
    assert refs <= set(labels), sorted(refs - set(labels))


def _cited_keys(text: str) -> set[str]:
    """The BibTeX keys of the ``{cite:p}`` / ``{cite:t}`` roles in ``text`` (several keys per
    role, ``{pre}`` / ``{post}`` notes stripped)."""
    keys = set()
    for body in re.findall(r"\{cite:[pt]\}`([^`]*)`", text):
        for key in body.split(","):
            keys.add(re.sub(r"\{[^}]*\}", "", key).strip())
    return keys


def test_derivations_link_existing_functions_and_cite_every_tutorial_text(
    bib: dict[str, dict[str, str]],
) -> None:
    for target in re.findall(r"\{py:func\}`(gantheory\.[\w.]+)`", DERIVATIONS):
        module, _, name = target.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name)), target
    cited = _cited_keys(DERIVATIONS)
    assert cited <= bib.keys(), sorted(cited - bib.keys())
    assert {t.key for t in TUTORIALS} <= cited, sorted({t.key for t in TUTORIALS} - cited)


def test_tutorial_texts_are_bibliography_entries_with_their_own_titles(
    bib: dict[str, dict[str, str]],
) -> None:
    """Each tutorial text is a bibliography entry whose title is the text's own (as recorded in
    gantheory.tutorials), with its kind and origin; every claim names known texts."""
    assert len(TUTORIALS) == 5
    for t in TUTORIALS:
        entry = bib[t.key]
        assert entry["title"].replace("{", "").replace("}", "") == t.title, t.key
        assert "howpublished" in entry and "Tutorial text" in entry.get("note", ""), t.key
        assert t.contents and t.kind and t.english, t.key
    assert "towardsdatascience.com/the-math-behind-gans" in bib["mathbehindgans_zh"]["url"]
    assert (bib["ganmathideas2017"]["year"], bib["gannotes2018"]["year"]) == ("2017", "2018")
    used = {k for c in registry() for k in c.tutorials}
    assert used == {t.key for t in TUTORIALS}  # every text is checked by some claim


def test_catalogue_and_tutorials_page_cite_the_texts_by_title() -> None:
    page = catalogue.render()
    tutorials = "\n".join(catalogue.tutorials_markdown())
    for t in TUTORIALS:
        label = f"({catalogue.tutorial_anchor(t.key)})=\n## {t.english}\n"
        assert label in tutorials, t.key
        section = tutorials.split(label, 1)[1].split("\n(tutorial-", 1)[0]
        assert t.title in section and f"{{cite:t}}`{t.key}`" in section, t.key
        for c in registry():
            link = f"{{ref}}`{c.id} <{catalogue.anchor(c.id)}>`"
            assert (link in section) == (t.key in c.tutorials), (t.key, c.id)
    for c in registry():
        section = page.split(f"({c.id.lower()})=\n", 1)[1].split("\n(", 1)[0]
        for key in c.tutorials:
            english = next(t.english for t in TUTORIALS if t.key == key)
            assert f"{{ref}}`{english} <tutorial-{key}>` {{cite:p}}`{key}`" in section, c.id
    page_src = (DOCS / "tutorials.md").read_text(encoding="utf-8")
    assert "```{tutorial-texts}\n```" in page_src


def test_cite_page_shows_the_package_version() -> None:
    cite = (DOCS / "cite.md").read_text(encoding="utf-8")
    versions = re.findall(r"version = \{([^}]*)\}", cite)
    versions += re.findall(r"gantheory\s*>?\s*(\d+\.\d+\.\d+)", cite)
    versions += re.findall(r"version \*\*(\d+\.\d+\.\d+)\*\*", cite)
    assert len(versions) >= 3 and set(versions) == {gantheory.__version__}, versions
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(re.findall(r"by gantheory (\d+\.\d+\.\d+)", readme)) == {gantheory.__version__}


def test_every_page_of_the_landing_toctree_exists() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    toctree = index.split("```{toctree}", 1)[1].split("```", 1)[0]
    pages = [ln.strip() for ln in toctree.splitlines() if ln.strip() and ":" not in ln]
    assert pages
    for page in pages:
        assert any((DOCS / f"{page}{ext}").exists() for ext in (".md", ".rst")), page


# ---------------------------------------------------------------------------------------------
# The local MathJax (tools/fetch_mathjax.py) and its wiring in docs/conf.py
# ---------------------------------------------------------------------------------------------
def _fetch_mathjax() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "fetch_mathjax", ROOT / "tools" / "fetch_mathjax.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fetch_mathjax_copies_what_the_browser_needs(tmp_path: Path) -> None:
    tool = _fetch_mathjax()
    package = tmp_path / "node_modules" / "mathjax"
    es5 = package / "es5"
    (es5 / "output" / "chtml" / "fonts").mkdir(parents=True)
    (es5 / "output" / "chtml" / "fonts" / "a.woff").write_bytes(b"font")
    (es5 / "tex-mml-chtml.js").write_text("// entry")
    (es5 / "tex-svg.js").write_text("// not loaded by the docs")
    (package / "LICENSE").write_text("Apache-2.0")
    (package / "package.json").write_text('{"name": "mathjax", "version": "3.2.1"}')
    target = tmp_path / "vendor" / "mathjax"
    es5_found = tool._es5(package)  # type: ignore[attr-defined]
    assert es5_found == es5 and tool._es5(es5) == es5  # type: ignore[attr-defined]
    tool.install(es5_found, tool._version_of(es5_found), target)  # type: ignore[attr-defined]
    assert (target / "tex-mml-chtml.js").is_file() and not (target / "tex-svg.js").exists()
    assert (target / "output" / "chtml" / "fonts" / "a.woff").read_bytes() == b"font"
    assert (target / "LICENSE").is_file() and (target / "VERSION").read_text() == "3.2.1\n"
    with pytest.raises(SystemExit, match="the docs need MathJax 3"):
        tool.install(es5_found, "2.7.9", target)  # type: ignore[attr-defined]
    with pytest.raises(SystemExit, match="no MathJax 3 in"):
        tool._es5(tmp_path / "vendor" / "nothing")  # type: ignore[attr-defined]


def test_fetch_mathjax_integrity_is_the_npm_format(tmp_path: Path) -> None:
    tool = _fetch_mathjax()
    blob = tmp_path / "x.tgz"
    blob.write_bytes(b"abc")
    # sha512("abc"), base64: the format of npm's `dist.integrity`
    assert tool._integrity(blob) == (  # type: ignore[attr-defined]
        "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
    )
    assert tool.INTEGRITY.startswith("sha512-") and tool.VERSION.startswith("3.")  # type: ignore[attr-defined]


def test_conf_uses_the_local_mathjax_when_present() -> None:
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    assert 'mathjax_path = "mathjax/tex-mml-chtml.js"' in conf
    assert "GANTHEORY_DOCS_OFFLINE" in conf and "tools/fetch_mathjax.py" in conf
    ignored = (DOCS / "_vendor" / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "*" in ignored  # the local copy is never committed


@pytest.mark.parametrize(
    "name", ["empirical_margins", "objective_margins", "game_margins", "dcgan_margins"])
def test_a_margins_page_is_the_rendering_of_its_data(name: str) -> None:
    """docs/<name>.md is generated from docs/data/<name>.jsonl (the sweep of
    ``tools/<name>.py`` over at least 20 seeds the tests do not use), never edited by hand."""
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    def rows_of(path: Path) -> list[dict]:
        data = path.read_text().splitlines()
        rows = [json.loads(line) for line in data if line.strip()]
        seeds = {r["seed"] for r in rows}
        assert len(seeds) >= 20
        assert not set(range(0, 5)) & seeds  # the tests' seeds are 0 to 4
        return rows

    rows = rows_of(ROOT / "docs" / "data" / f"{name}.jsonl")
    assert {r.get("dtype", "float64") for r in rows} == {"float64"}
    args = [rows]
    f32 = ROOT / "docs" / "data" / f"{name}_float32.jsonl"
    if f32.exists():  # the same sweep trained in float32, shown on the same page
        args.append(rows_of(f32))
        assert {r.get("dtype") for r in args[1]} == {"float32"}
    assert (ROOT / "docs" / f"{name}.md").read_text() == tool.render(*args), (
        f"docs/{name}.md is stale: run `python tools/{name}.py --render docs/{name}.md`"
    )
