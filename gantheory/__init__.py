"""gantheory: a numerical verification suite of GAN theory."""

__version__ = "0.1.0"
