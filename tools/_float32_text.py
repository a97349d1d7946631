"""The opening of the "Trained in float32" section of the margins pages (shared by the tools)."""

from __future__ import annotations


def float32_intro(seeds: list[int], closeness: str) -> list[str]:
    """The section's heading and first paragraph: what a float32 run is, and how close it stays
    to the float64 run of its seed (``closeness``, a sentence ending the paragraph)."""
    return [
        "## Trained in float32",
        "",
        "The same runs with every network trained in float32 (`GANConfig(dtype=\"float32\")`:",
        "parameters, Adam's state, minibatches and losses in single precision), seeds"
        f" {seeds[0]}-{seeds[-1]}.",
        "Each trained network is measured through its exact float64 copy, against the same",
        "bounds. A float32 run draws the same noise and data as the float64 run of its seed but",
        f"rounds differently from its first step. {closeness}",
        "",
    ]
