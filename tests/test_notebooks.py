"""The committed notebooks: executed top to bottom, without errors, with their figures, opening
with what they show and the claims they cover; and (slow, in CI) not stale — re-executing them
reproduces the committed text outputs.

Regenerate the outputs with ``python tools/run_notebooks.py`` (needs the ``notebooks`` extra).
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

from gantheory.claims import registry

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REQUIRED = {"01_optimal_discriminator", "02_value_function_and_jsd", "03_divergences",
            "04_vanishing_gradients", "05_numpy_gan"}
VOLATILE_METADATA = {"execution", "ExecuteTime", "collapsed", "scrolled", "jupyter"}
ids = [p.stem for p in NOTEBOOKS]


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def test_the_required_notebooks_exist() -> None:
    assert REQUIRED <= {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_every_code_cell_ran_in_order_without_errors(path: Path) -> None:
    nb = _load(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "no code cells"
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..{len(code)}: run "
        f"`python tools/run_notebooks.py {path.stem}` instead of executing cells by hand"
    )
    for i, cell in enumerate(code, 1):
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"{path.name} cell {i}: {out.get('ename')}"
            if out["output_type"] == "stream":
                assert out["name"] == "stdout", (
                    f"{path.name} cell {i} wrote to stderr (a warning?): {''.join(out['text'])}"
                )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_figures_are_present(path: Path) -> None:
    nb = _load(path)
    n_figures = 0
    for i, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        pngs = sum("image/png" in out.get("data", {}) for out in cell["outputs"])
        n_figures += pngs
        if "plt.show()" in _source(cell):
            assert pngs >= 1, f"{path.name} code cell {i + 1} calls plt.show() but has no PNG"
        for out in cell["outputs"]:
            data = out.get("data", {})
            plain = "".join(data.get("text/plain", ""))
            assert "image/png" in data or not plain.startswith("<Figure size"), (
                f"{path.name} code cell {i + 1}: a figure was not rendered inline (MPLBACKEND?)"
            )
    assert n_figures >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_opens_with_what_it_shows_and_which_claims(path: Path) -> None:
    nb = _load(path)
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown"
    text = _source(first)
    assert text.startswith(f"# {path.stem[:2]} "), "the first cell is the notebook's title"
    assert "What this notebook shows" in text and "Claims covered" in text
    cited = set(re.findall(r"`([A-Z]+\d\d-[A-Z0-9-]+)`", text))
    known = {c.id for c in registry()}
    assert cited, "name the claim IDs the notebook covers"
    assert cited <= known, f"unknown claim IDs: {sorted(cited - known)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_volatile_metadata(path: Path) -> None:
    nb = _load(path)
    for cell in nb["cells"]:
        assert not VOLATILE_METADATA & cell["metadata"].keys(), cell["metadata"]
        for out in cell.get("outputs", []):
            assert "execution" not in out.get("metadata", {})
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "version" not in nb["metadata"].get("language_info", {})
    assert path.read_text(encoding="utf-8").endswith("\n")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_seeded(path: Path) -> None:
    sources = "\n".join(_source(c) for c in _load(path)["cells"] if c["cell_type"] == "code")
    if re.search(r"\brng\b|random", sources):
        assert re.search(r"default_rng\(\d+\)", sources), "seed the random generator"
    assert "np.random.seed" not in sources and "np.random.rand" not in sources


# ---------------------------------------------------------------------------------------------
# Slow: re-execute and compare with the committed outputs (CI).
# ---------------------------------------------------------------------------------------------
def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "run_notebooks", ROOT / "tools" / "run_notebooks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_staleness_detection_compares_text_and_figures() -> None:
    """The comparison used by the slow test flags changed text and lost figures, and ignores
    memory addresses, durations, how streams were split and the digits of rounding-level
    numbers (exponent -12 or lower), which differ between CPUs."""
    pytest.importorskip("nbformat")
    import nbformat

    run = _runner()

    def nb(*outputs: dict, tags: tuple[str, ...] = ()) -> object:
        cell = nbformat.v4.new_code_cell("x", execution_count=1)
        cell.outputs = [nbformat.from_dict(o) for o in outputs]
        if tags:
            cell.metadata["tags"] = list(tags)
        book = nbformat.v4.new_notebook()
        book.cells = [cell]
        return book

    def out(text: str) -> dict:
        return {"output_type": "stream", "name": "stdout", "text": text}

    png = {"output_type": "display_data", "data": {"image/png": "AAAA", "text/plain": "<Fig>"},
           "metadata": {}}
    same = run.stale_cells(nb(out("a 0x7f3a2b1c at 1.5 s\n")), nb(out("a 0x55aa00bb "),
                                                                   out("at 2.0 s\n")))
    assert same == []
    assert run.stale_cells(nb(out("C = -1.386294\n")), nb(out("C = -1.386295\n")))
    assert not run.stale_cells(nb(out("max |D - D*| = 2.8e-16, bound 1.8e-14\n")),
                               nb(out("max |D - D*| = 3.3e-16, bound 1.9e-14\n")))
    assert run.stale_cells(nb(out("residual 2.8e-16\n")), nb(out("residual 2.8e-11\n")))
    assert not run.stale_cells(nb(out("max |fast - textbook| 2.2e-16\n")),
                               nb(out("max |fast - textbook| 0.0e+00\n")))
    assert run.stale_cells(nb(out("JSD 0.0e+00\n")), nb(out("JSD 1.0e+00\n")))
    assert run.stale_cells(nb(out("JSD 1.5e-3\n")), nb(out("JSD 1.6e-3\n")))
    assert run.stale_cells(nb(out("x\n"), png), nb(out("x\n")))
    volatile = ("volatile-output",)
    assert not run.stale_cells(nb(out("p = 1\n"), tags=volatile),
                               nb(out("p = 2\n"), tags=volatile))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_notebook_is_not_stale(path: Path) -> None:
    pytest.importorskip("nbclient", reason="needs the `notebooks` extra")
    import nbformat

    run = _runner()
    fresh = run.execute(path)
    problems = run.stale_cells(nbformat.read(path, as_version=4), fresh)
    assert not problems, (
        f"{path.name} is stale: regenerate it with `python tools/run_notebooks.py {path.stem}` "
        "and commit it\n" + "\n".join(problems)
    )
