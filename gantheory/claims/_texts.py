"""The tutorial texts the claims name, by their BibTeX keys (see :mod:`gantheory.tutorials`)."""

__all__ = ["LECTURE", "MATH_BEHIND_GANS", "MATH_IDEAS", "MATH_NOTES", "NOTES_2018"]

MATH_BEHIND_GANS = "mathbehindgans_zh"
MATH_IDEAS = "ganmathideas2017"
LECTURE = "cs182lecture19"
MATH_NOTES = "ganmathnotes"
NOTES_2018 = "gannotes2018"
