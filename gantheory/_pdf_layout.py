"""Page layout of the PDF report: LaTeX statements as matplotlib mathtext, text flowed on A4.

Private helpers of :mod:`gantheory.report`; :func:`mathtext` is re-exported there.
"""

from __future__ import annotations

import re
import textwrap

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

# A4 portrait, in inches; margins and the usable text block.
PAGE_W, PAGE_H = 8.27, 11.69
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 0.75, 0.8, 0.8
TEXT_W = PAGE_W - 2 * MARGIN_X
GREEN, RED, GREY = "#1a7f37", "#c62828", "#555555"


# ---------------------------------------------------------------------------------------------
# LaTeX statements -> mathtext
# ---------------------------------------------------------------------------------------------
_MATHTEXT_SUBS: tuple[tuple[str, str], ...] = (
    (r"\\[td]frac(?![a-zA-Z])", r"\\frac"),
    (r"\\frac\s*([0-9a-zA-Z])\s*([0-9a-zA-Z])", r"\\frac{\1}{\2}"),
    (r"\\[bB]igg?[lrm]?(?![a-zA-Z])", ""),
    (r"\\ge(?![a-zA-Z])", r"\\geq"),
    (r"\\le(?![a-zA-Z])", r"\\leq"),
    (r"\\iff(?![a-zA-Z])", r"\\Leftrightarrow"),
    (r"\\xrightarrow(\[[^\]]*\])?\{[^}]*\}", r"\\rightarrow"),
)


def mathtext(latex: str) -> str:
    r"""Rewrite the LaTeX of a claim statement for matplotlib's mathtext (no ``$`` added).

    Mathtext lacks a few LaTeX macros the statements use; they are mapped to equivalents.

    Examples
    --------
    >>> mathtext(r"0 \le \tfrac12 \bigl(a\bigr) \ge \frac1m")
    '0 \\leq \\frac{1}{2} (a) \\geq \\frac{1}{m}'
    """
    for pattern, repl in _MATHTEXT_SUBS:
        latex = re.sub(pattern, repl, latex)
    return latex


def _split_before_text(piece: str) -> list[str]:
    r"""Split a piece before each top-level ``\text{`` (a second, finer set of break points)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(piece):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and i > start and piece.startswith("\\text{", i):
            parts.append(piece[start:i])
            start = i
    parts.append(piece[start:])
    # a break after "\ " leaves a dangling backslash: drop it (pieces are re-joined with "\ ")
    parts = [p.strip() for p in parts]
    return [p[:-1].rstrip() if p.endswith("\\") else p for p in parts if p]


def _split_top_level(latex: str) -> list[str]:
    r"""Split a statement into pieces at top-level ``\quad``, ``,\ ``, ``;\ `` and ``:\ ``
    (outside braces), keeping the punctuation with the left piece."""
    pieces, depth, start, i = [], 0, 0, 0
    while i < len(latex):
        ch = latex[i]
        if ch == "\\" and latex.startswith("\\quad", i) and depth == 0:
            pieces.append(latex[start:i])
            i += len("\\quad")
            start = i
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch in ",;:" and depth == 0 and latex.startswith("\\ ", i + 1):
            pieces.append(latex[start : i + 1])
            i += 3
            start = i
            continue
        elif ch == "\\":
            i += 2  # skip the escaped character (\, \| \{ ...)
            continue
        i += 1
    pieces.append(latex[start:])
    return [p.strip() for p in pieces if p.strip()]


# ---------------------------------------------------------------------------------------------
# Page layout
# ---------------------------------------------------------------------------------------------
class Writer:
    """Flows text, math and blocks down A4 pages; a new page when the current one is full."""

    def __init__(self, pdf: PdfPages, footer: str) -> None:
        self.pdf, self.footer = pdf, footer
        self.page_no = 0
        self.fig: Figure | None = None
        self.y = 0.0  # inches from the bottom of the page
        self.sans = FontProperties(family="DejaVu Sans")
        self.mono = FontProperties(family="DejaVu Sans Mono")

    # -- pages ------------------------------------------------------------------------------
    def new_page(self) -> None:
        self.finish_page()
        self.fig = Figure(figsize=(PAGE_W, PAGE_H))
        FigureCanvasAgg(self.fig)
        self.page_no += 1
        self.y = PAGE_H - MARGIN_TOP
        self.fig.text(
            MARGIN_X / PAGE_W, 0.4 / PAGE_H, self.footer, fontsize=7, color=GREY,
            fontproperties=self.sans,
        )
        self.fig.text(
            1 - MARGIN_X / PAGE_W, 0.4 / PAGE_H, f"page {self.page_no}", fontsize=7,
            color=GREY, ha="right", fontproperties=self.sans,
        )

    def finish_page(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` inches fit above the bottom margin."""
        if self.fig is None or self.y - height < MARGIN_BOTTOM:
            self.new_page()

    def skip(self, height: float) -> None:
        self.y -= height

    # -- measuring -------------------------------------------------------------------------
    def _renderer(self) -> RendererAgg:
        assert self.fig is not None
        return self.fig.canvas.get_renderer()

    def math_width(self, tex: str, size: float) -> float:
        """Width in inches of ``$tex$`` at ``size`` points; ValueError if mathtext rejects it."""
        r = self._renderer()
        prop = self.sans.copy()
        prop.set_size(size)
        w, _, _ = r.get_text_width_height_descent(f"${tex}$", prop, ismath=True)
        return w / r.points_to_pixels(72.0)

    # -- content ---------------------------------------------------------------------------
    def text(
        self, s: str, *, size: float = 9.0, mono: bool = False, indent: float = 0.0,
        color: str = "black", weight: str = "normal", gap: float = 0.0, hang: int = 0,
    ) -> None:
        """Wrapped plain text (``$`` escaped, never parsed as math); continuation lines are
        indented by ``hang`` characters."""
        line_h = size * 1.35 / 72
        char_w = size / 72 * (0.602 if mono else 0.56)
        width = max(20, int((TEXT_W - indent) / char_w))
        lines: list[str] = []
        for para in s.splitlines() or [""]:
            lines += textwrap.wrap(para, width, break_long_words=True, break_on_hyphens=False,
                                   subsequent_indent=" " * hang) or [""]
        self.need(min(len(lines), 6) * line_h)  # a paragraph of up to 6 lines stays on a page
        for line in lines:
            self.need(line_h)
            self.y -= line_h
            assert self.fig is not None
            self.fig.text(
                (MARGIN_X + indent) / PAGE_W, self.y / PAGE_H, line.replace("$", r"\$"),
                fontsize=size, color=color, weight=weight,
                fontproperties=self.mono if mono else self.sans,
            )
        self.y -= gap

    def math(self, latex: str, *, size: float = 11.0, indent: float = 0.25) -> bool:
        """A statement typeset with mathtext, broken into lines that fit; returns False (and
        writes the LaTeX source as text) when mathtext cannot parse it."""
        self.need(0.3)
        tex = mathtext(latex)
        hang = 0.3  # continuation lines are indented by this much
        avail = TEXT_W - indent - hang
        try:
            pieces = _split_top_level(tex)
            # Measure each piece once (a mathtext parse is slow); widths scale with the size.
            widths = [self.math_width(p, size) for p in pieces]
            if max(widths) * 7.0 / size > avail:  # too wide even at 7 pt: finer break points
                pieces = [q for p in pieces for q in _split_before_text(p)]
                widths = [self.math_width(p, size) for p in pieces]
            size_used = max(7.0, min(size, 0.999 * size * avail / max(widths)))
            scale = size_used / size
            if max(widths) * scale > avail:
                raise ValueError("too wide")
            space = size_used * 0.3 / 72  # "\ " between joined pieces
            lines: list[str] = []
            line_w = 0.0
            for piece, wd in zip(pieces, widths):
                if lines and line_w + space + wd * scale <= avail:
                    lines[-1] += r"\ " + piece
                    line_w += space + wd * scale
                else:
                    lines.append(piece)
                    line_w = wd * scale
        except ValueError:
            self.text(latex, size=8, mono=True, indent=indent)
            return False
        line_h = size_used * 2.1 / 72
        for k, line in enumerate(lines):
            self.need(line_h)
            self.y -= line_h
            assert self.fig is not None
            self.fig.text(
                (MARGIN_X + indent + (hang if k else 0.0)) / PAGE_W, (self.y + 0.05) / PAGE_H,
                f"${line}$", fontsize=size_used, fontproperties=self.sans,
            )
        self.y -= 0.06
        return True

    def rule(self, color: str = "#bbbbbb") -> None:
        self.need(0.1)
        self.y -= 0.06
        assert self.fig is not None
        self.fig.add_artist(mpl.lines.Line2D(
            [MARGIN_X / PAGE_W, 1 - MARGIN_X / PAGE_W], [self.y / PAGE_H] * 2,
            color=color, linewidth=0.6,
        ))
        self.y -= 0.06

    def figure_page(self, fig: Figure, caption: str) -> None:
        """A full page holding a figure and its caption."""
        self.finish_page()
        fig.set_size_inches(PAGE_W, PAGE_H)
        fig.subplots_adjust(left=0.12, right=0.92, top=0.86, bottom=0.30, hspace=0.35)
        self.page_no += 1
        wrapped = "\n".join(textwrap.wrap(caption, 105))
        fig.text(MARGIN_X / PAGE_W, 0.25, wrapped.replace("$", r"\$"), fontsize=9, va="top",
                 fontproperties=self.sans)
        fig.text(MARGIN_X / PAGE_W, 0.4 / PAGE_H, self.footer, fontsize=7, color=GREY,
                 fontproperties=self.sans)
        fig.text(1 - MARGIN_X / PAGE_W, 0.4 / PAGE_H, f"page {self.page_no}", fontsize=7,
                 color=GREY, ha="right", fontproperties=self.sans)
        self.pdf.savefig(fig)
