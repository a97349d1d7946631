"""Execute the notebooks in ``notebooks/`` and write them back with their outputs.

    python tools/run_notebooks.py                 # every notebook
    python tools/run_notebooks.py 01 03_divergences   # by name or prefix
    python tools/run_notebooks.py --check         # execute in memory; exit 1 if a committed
                                                  # notebook's outputs are stale

Needs the ``notebooks`` extra (``pip install -e ".[notebooks]"``). Each notebook runs top to
bottom in a fresh ``python3`` kernel started in ``notebooks/``, with the inline matplotlib backend
(``MPLBACKEND`` is removed from the kernel's environment: ``Agg`` there would swallow the
figures) and one BLAS thread (``OPENBLAS_NUM_THREADS=1``: the thread count changes the rounding
of matrix products, so the committed numbers are those of one thread on any machine). Before
writing, the notebook is normalised so an unchanged re-run gives a small diff:
no execution timestamps or other volatile cell metadata, no interpreter version, one-space JSON
indentation and a final newline. ``--check`` compares the *text* outputs (streams, text/plain,
text/markdown, errors) after :func:`normalise_text`, which masks memory addresses, durations and
rounding-level numbers (exponent -12 or lower: their digits differ between CPUs and BLAS builds,
a residual of 2.8e-16 on one machine is 3.3e-16 on another), and the number of figures per
cell; figure bytes are not compared (they differ across matplotlib and font versions), nor are
the streams of cells tagged ``volatile-output``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import re
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # silence jupyter_core's migration warning

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TIMEOUT = 600  # seconds per cell

#: Tag of cells whose text output may legitimately differ between environments (for example a
#: counterexample found by a Hypothesis search, which depends on the Hypothesis version); their
#: streams are not compared by ``--check``, their errors and figures are.
VOLATILE_TAG = "volatile-output"

#: Cell metadata that changes from run to run (or from front end to front end).
_VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled", "jupyter")


def notebook_paths(names: Sequence[str] = ()) -> list[Path]:
    """The notebooks matching ``names`` (file names, stems or prefixes); all when empty."""
    every = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return every
    chosen = []
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        hits = [p for p in every if p.stem == stem or p.stem.startswith(stem)]
        if not hits:
            raise SystemExit(f"no notebook matches {name!r} in {NOTEBOOKS}")
        chosen += [p for p in hits if p not in chosen]
    return chosen


@contextlib.contextmanager
def _kernel_environment() -> Iterator[None]:
    """Remove MPLBACKEND (the kernel must pick the inline backend) and fix one BLAS thread
    (the thread count changes the rounding of some matrix products, hence a training run's
    numbers) for the duration."""
    saved = os.environ.pop("MPLBACKEND", None)
    threads = os.environ.get("OPENBLAS_NUM_THREADS")
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        yield
    finally:
        if saved is not None:
            os.environ["MPLBACKEND"] = saved
        if threads is None:
            del os.environ["OPENBLAS_NUM_THREADS"]
        else:
            os.environ["OPENBLAS_NUM_THREADS"] = threads


def _merge_streams(outputs: list) -> list:
    """Join consecutive outputs of the same stream (how a print is split into several outputs
    depends on when the kernel flushed, not on the code)."""
    merged: list = []
    for out in outputs:
        if (out.output_type == "stream" and merged and merged[-1].output_type == "stream"
                and merged[-1].name == out.name):
            merged[-1].text += out.text
        else:
            merged.append(copy.copy(out))
    return merged


def normalise(nb: object) -> object:
    """Strip what changes between runs: volatile cell metadata and interpreter versions; merge
    split streams."""
    for cell in nb.cells:  # type: ignore[attr-defined]
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
            for out in cell.outputs:
                out.get("metadata", {}).pop("execution", None)
    meta = nb.metadata  # type: ignore[attr-defined]
    meta.pop("widgets", None)
    meta["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    meta["language_info"] = {"name": "python", "mimetype": "text/x-python",
                             "file_extension": ".py"}
    return nb


def execute(path: Path) -> object:
    """Run ``path`` top to bottom in a fresh kernel; return the executed, normalised notebook."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(
        nb, timeout=TIMEOUT, kernel_name="python3", allow_errors=False,
        record_timing=False, resources={"metadata": {"path": str(path.parent)}},
    )
    with _kernel_environment():
        client.execute()
    return normalise(nb)


def write(nb: object, path: Path) -> None:
    import nbformat

    text = nbformat.writes(nb, version=4)  # type: ignore[arg-type]
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


_HEX = re.compile(r"0x[0-9a-fA-F]{6,}")
_SECONDS = re.compile(r"\b\d+(\.\d+)? ?s\b")
#: A number in scientific notation with exponent -12 or lower (below 1e-11 in magnitude), or
#: an exact zero in scientific notation: a rounding-level residual, whose digits depend on the
#: CPU's kernels and the BLAS build, not on the theory (one build's 2.2e-16 is another's
#: 0.0e+00; what the notebook asserts about it, against its tolerance, is still compared).
_ROUNDING = re.compile(
    r"(?<![\w.])-?(\d(\.\d+)?e-(1[2-9]|[2-9]\d|\d{3})|0(\.0+)?e[+-]0+)\b")


def normalise_text(text: str) -> str:
    """Text output with memory addresses, durations and rounding-level numbers (exponent -12
    or lower, or an exact 0 in scientific notation) masked, trailing spaces removed."""
    text = _HEX.sub("0x…", text)
    text = _ROUNDING.sub("<rounding>", text)
    text = _SECONDS.sub("<t> s", text)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def text_outputs(nb: object) -> list[tuple[int, list[str], int]]:
    """Per code cell: (index, normalised text outputs, number of PNG figures)."""
    rows = []
    for i, cell in enumerate(nb.cells):  # type: ignore[attr-defined]
        if cell.cell_type != "code":
            continue
        texts, figures = [], 0
        volatile = VOLATILE_TAG in cell.metadata.get("tags", [])
        for out in _merge_streams(list(cell.outputs)):
            if volatile and out.output_type == "stream":
                texts.append(f"{out.name}: <not compared: {VOLATILE_TAG}>")
            elif out.output_type == "stream":
                texts.append(f"{out.name}: {normalise_text(out.text)}")
            elif out.output_type == "error":
                texts.append(f"error: {out.ename}: {out.evalue}")
            else:
                data = out.get("data", {})
                figures += "image/png" in data
                for mime in ("text/markdown", "text/latex", "text/plain"):
                    if mime in data and "image/png" not in data:
                        texts.append(f"{mime}: {normalise_text(data[mime])}")
                        break
        rows.append((i, texts, figures))
    return rows


def stale_cells(committed: object, fresh: object) -> list[str]:
    """Descriptions of the code cells whose text outputs or figure counts differ."""
    problems = []
    old, new = text_outputs(committed), text_outputs(fresh)
    if len(old) != len(new):
        return [f"{len(old)} code cells committed, {len(new)} after re-execution"]
    for (i, t_old, f_old), (_, t_new, f_new) in zip(old, new):
        if t_old != t_new:
            problems.append(f"cell {i}: text output changed\n  committed: {t_old}\n"
                            f"  now:       {t_new}")
        if f_old != f_new:
            problems.append(f"cell {i}: {f_old} figure(s) committed, {f_new} now")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="notebooks by name or prefix (default: all)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if a notebook's committed outputs are stale")
    args = parser.parse_args(argv)
    import nbformat

    failed = False
    for path in notebook_paths(args.names):
        start = time.perf_counter()
        fresh = execute(path)
        took = time.perf_counter() - start
        if args.check:
            problems = stale_cells(nbformat.read(path, as_version=4), fresh)
            status = "stale" if problems else "up to date"
            print(f"{path.name}: {status} ({took:.1f} s)")
            for p in problems:
                print("  " + p.replace("\n", "\n  "))
            failed |= bool(problems)
        else:
            write(fresh, path)
            print(f"{path.name}: executed in {took:.1f} s, written")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
