"""Put a local copy of MathJax 3 where the docs build finds it, so the site renders offline.

    python tools/fetch_mathjax.py               # npm pack mathjax@3.2.2, check it, unpack it
    python tools/fetch_mathjax.py --from DIR    # copy from an unpacked MathJax 3 package
    python tools/fetch_mathjax.py --check       # exit 1 unless the local copy is in place

The copy goes to ``docs/_vendor/mathjax/`` (git-ignored). When it is there, ``docs/conf.py``
adds it to the build's ``_static/`` and points Sphinx's ``mathjax_path`` at it; when it is not,
the build still succeeds, says so, and the pages load MathJax from a CDN (they then need a
network connection to show their formulas). Set ``GANTHEORY_DOCS_OFFLINE=1`` to make a missing
copy a build error instead (CI does).

The package is the npm registry's ``mathjax`` at a pinned version, fetched with the machine's
``npm pack`` and checked against its pinned SHA-512 integrity before it is unpacked. ``--from``
takes a directory holding MathJax 3's ``es5/`` folder (for example ``node_modules/mathjax``
after ``npm install mathjax@3``) or the ``es5/`` folder itself. Only what a browser needs is
copied: the combined ``tex-mml-chtml.js`` component that Sphinx loads, and the folders it loads
further pieces from (TeX extensions, CHTML fonts, the menu, accessibility, speech rules); the
other combined components are left out.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "_vendor" / "mathjax"
VERSION = "3.2.2"
#: The npm registry's integrity of mathjax-3.2.2.tgz (``npm view mathjax@3.2.2 dist.integrity``).
INTEGRITY = (
    "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="
)
#: The component Sphinx loads (``mathjax_path``), relative to the copy.
ENTRY = "tex-mml-chtml.js"
#: Combined components of es5/ that the docs do not load.
_UNUSED = {
    "mml-chtml.js", "mml-svg.js", "node-main.js", "tex-chtml.js", "tex-chtml-full.js",
    "tex-chtml-full-speech.js", "tex-mml-svg.js", "tex-svg.js", "tex-svg-full.js",
}


def _integrity(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def _es5(source: Path) -> Path:
    """The es5/ folder of a MathJax 3 package at ``source`` (the package or es5/ itself)."""
    for candidate in (source, source / "es5", source / "package" / "es5"):
        if (candidate / ENTRY).is_file():
            return candidate
    raise SystemExit(f"no MathJax 3 in {source}: expected {ENTRY} there or in its es5/ folder")


def _version_of(es5: Path) -> str:
    package = es5.parent / "package.json"
    if package.is_file():
        return str(json.loads(package.read_text(encoding="utf-8")).get("version", "unknown"))
    return "unknown"


def install(es5: Path, version: str, target: Path = TARGET) -> Path:
    """Copy the browser parts of MathJax's ``es5`` folder to ``target`` (replacing it)."""
    if not version.startswith("3.") and version != "unknown":
        raise SystemExit(f"MathJax {version} found; the docs need MathJax 3")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for item in sorted(es5.iterdir()):
        if item.name in _UNUSED:
            continue
        if item.is_dir():
            shutil.copytree(item, target / item.name)
        else:
            shutil.copy2(item, target / item.name)
    for extra in ("LICENSE",):
        if (es5.parent / extra).is_file():
            shutil.copy2(es5.parent / extra, target / extra)
    (target / "VERSION").write_text(version + "\n", encoding="utf-8")
    return target


def fetch(target: Path = TARGET) -> Path:
    """``npm pack`` the pinned MathJax, check its integrity, and install it to ``target``."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            "npm is not installed: install Node.js's npm (e.g. `apt-get install npm`), or copy "
            "an existing MathJax 3 with `python tools/fetch_mathjax.py --from DIR`"
        )
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([npm, "pack", f"mathjax@{VERSION}", "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        tgz = Path(tmp) / f"mathjax-{VERSION}.tgz"
        got = _integrity(tgz)
        if got != INTEGRITY:
            raise SystemExit(f"mathjax-{VERSION}.tgz: integrity {got} != pinned {INTEGRITY}")
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        return install(_es5(Path(tmp) / "package"), VERSION, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, metavar="DIR",
                        help="copy from an unpacked MathJax 3 instead of fetching it with npm")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless the local copy is in place")
    args = parser.parse_args(argv)
    if args.check:
        ok = (TARGET / ENTRY).is_file()
        version = (TARGET / "VERSION").read_text().strip() if ok else None
        print(f"{TARGET}: MathJax {version}" if ok else f"{TARGET}: no local MathJax")
        return 0 if ok else 1
    if args.source is not None:
        es5 = _es5(args.source)
        target = install(es5, _version_of(es5))
    else:
        target = fetch()
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"MathJax {(target / 'VERSION').read_text().strip()} in {target} "
          f"({size / 1e6:.1f} MB); the docs build now uses it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
