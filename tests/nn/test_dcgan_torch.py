"""DCGAN training iterations against PyTorch's autograd and Adam (skipped without PyTorch).

The reference is written from the architecture of :mod:`gantheory.dcgan`'s docstring with
``torch.nn`` layers (not converted from the NumPy layers), given the NumPy networks' initial
weights and the same minibatches, labels and noise (replayed from a copy of the DCGAN's
generator). It then runs the iteration as the module describes it: D sees the real and the
generated batch separately (the sum of the two mean binary cross-entropies), the generator
minimises the non-saturating loss through D, each side with its own Adam.
"""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest

from gantheory.dcgan import DCGAN, DCGAN_CONFIG
from gantheory.digits import N_CLASSES, SIDE, Digits
from gantheory.nn import BatchNorm, Conv2d, ConvTranspose2d

WIDTH, M, NOISE_DIM, ITERATIONS = 8, 16, 8, 3
CONFIG = dataclasses.replace(DCGAN_CONFIG, m=M, noise_dim=NOISE_DIM)

#: Normwise relative tolerance for gradients, parameters and running statistics. The two codes
#: evaluate the same formulas in different summation orders: each entry is a chain of at most
#: a dozen layers of sums of at most 4·4·16·16 = 4096 products, each sum within
#: γ_n ≈ n·ε ≈ 1e-12 of the sum of its terms' magnitudes (Higham 2002, eq. 3.5), rescaled by
#: batch normalisation's 1/σ. 1e-10 leaves a factor 100 over one such sum for that growth
#: (the differences measured are ≤ 1e-14); the modelling errors this test is meant to catch
#: (a wrong slope, mixed batch statistics, a missing gradient term) change the gradients by
#: 1e-3 or more.
RTOL = 1e-10


def _data(rng: np.random.Generator) -> Digits:
    images = np.round(rng.uniform(-1.0, 1.0, size=(120, 1, SIDE, SIDE)) * 8.0) / 8.0
    return Digits(images, rng.integers(0, N_CLASSES, size=120))


def _torch_networks(torch, gan: DCGAN):  # type: ignore[no-untyped-def]
    """G and D of the module docstring (width ``WIDTH``) with ``gan``'s initial weights."""
    from torch import nn

    d = torch.float64
    k, g, nz = gan.n_classes, WIDTH, NOISE_DIM + gan.n_classes
    G = nn.Sequential(
        nn.Unflatten(1, (nz, 1, 1)),
        nn.ConvTranspose2d(nz, 2 * g, 2, 1, 0, dtype=d), nn.BatchNorm2d(2 * g, dtype=d), nn.ReLU(),
        nn.ConvTranspose2d(2 * g, g, 4, 2, 1, dtype=d), nn.BatchNorm2d(g, dtype=d), nn.ReLU(),
        nn.ConvTranspose2d(g, 1, 4, 2, 1, dtype=d), nn.Tanh(),
    )
    D = nn.Sequential(
        nn.Conv2d(1 + k, g, 4, 2, 1, dtype=d), nn.LeakyReLU(0.2),
        nn.Conv2d(g, 2 * g, 4, 2, 1, dtype=d), nn.BatchNorm2d(2 * g, dtype=d), nn.LeakyReLU(0.2),
        nn.Conv2d(2 * g, 1, 2, 1, 0, dtype=d), nn.Flatten(),
    )
    for ours, theirs in ((gan.G, G), (gan.D, D)):
        params = list(theirs.parameters())
        assert [p.shape for p in ours.params] == [tuple(p.shape) for p in params]
        with torch.no_grad():
            for p, t in zip(ours.params, params, strict=True):
                t.copy_(torch.from_numpy(np.ascontiguousarray(p)))
    return G.train(), D.train()


def _draws(gan: DCGAN) -> dict:
    """The minibatch indices, labels and noise of ``gan``'s next iteration, in the order its
    discriminator and generator steps draw them from ``gan.rng`` (replayed on a copy)."""
    rng = copy.deepcopy(gan.rng)
    n = len(gan.data)
    out: dict = {"idx": rng.integers(0, n, size=M)}
    for phase in ("d", "g"):
        out[f"labels_{phase}"] = (gan.data.labels[rng.integers(0, n, size=M)]
                                  if gan.conditional else None)
        out[f"z_{phase}"] = rng.standard_normal((M, NOISE_DIM))
    out["state_after"] = rng.bit_generator.state
    return out


def _torch_iteration(torch, G, D, opt_G, opt_D, data: Digits, draws: dict,  # type: ignore[no-untyped-def]
                     conditional: bool) -> tuple[float, float]:
    F = torch.nn.functional
    eye = torch.eye(N_CLASSES, dtype=torch.float64)

    def g_input(z, labels):  # type: ignore[no-untyped-def]
        z = torch.from_numpy(z)
        return z if labels is None else torch.cat([z, eye[torch.from_numpy(labels)]], dim=1)

    def d_input(x, labels):  # type: ignore[no-untyped-def]
        if labels is None:
            return x
        planes = eye[torch.from_numpy(labels)][:, :, None, None].expand(-1, -1, SIDE, SIDE)
        return torch.cat([x, planes], dim=1)

    ones, zeros = torch.ones(M, 1, dtype=torch.float64), torch.zeros(M, 1, dtype=torch.float64)
    idx = draws["idx"]
    real_labels = data.labels[idx] if conditional else None
    real = d_input(torch.from_numpy(data.images[idx]), real_labels)
    with torch.no_grad():
        fake = G(g_input(draws["z_d"], draws["labels_d"]))
    loss_d = (F.binary_cross_entropy_with_logits(D(real), ones)
              + F.binary_cross_entropy_with_logits(D(d_input(fake, draws["labels_d"])), zeros))
    opt_D.zero_grad()
    loss_d.backward()
    opt_D.step()
    D.requires_grad_(False)  # D's gradients stay those of its own step
    fake = G(g_input(draws["z_g"], draws["labels_g"]))
    loss_g = F.binary_cross_entropy_with_logits(D(d_input(fake, draws["labels_g"])), ones)
    D.requires_grad_(True)
    opt_G.zero_grad()
    loss_g.backward()
    opt_G.step()
    return loss_d.item(), loss_g.item()


def _normwise(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def _cancelled_biases(net) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Mask of ``net.flat_params`` on the biases of convolutions that a batch normalisation
    follows: their exact gradient is 0, so both codes move them by rounding noise (by
    ``lr · g / (|g| + eps)``, up to 1e-11 here) and they are compared on that scale."""
    mask = np.zeros(net.n_params, dtype=bool)
    offset = 0
    for layer, after in zip(net.layers, [*net.layers[1:], None], strict=True):
        offset += layer.n_params
        if isinstance(layer, Conv2d | ConvTranspose2d) and isinstance(after, BatchNorm):
            mask[offset - layer.out_channels : offset] = True
    return mask


@pytest.mark.parametrize("conditional", [False, True])
def test_dcgan_iterations_match_pytorch(conditional: bool) -> None:
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)  # one summation order per run: deterministic
    rng = np.random.default_rng(2016)
    gan = DCGAN(_data(rng), config=CONFIG, rng=rng, conditional=conditional, width=WIDTH)
    G, D = _torch_networks(torch, gan)
    opts = [torch.optim.Adam(net.parameters(), lr=lr, betas=CONFIG.betas, eps=1e-8)
            for net, lr in ((G, CONFIG.lr_g), (D, CONFIG.lr_d))]
    for it in range(ITERATIONS):
        draws = _draws(gan)
        gan.train(1)
        assert gan.rng.bit_generator.state == draws["state_after"]  # the same draws replayed
        loss_d, loss_g = _torch_iteration(torch, G, D, *opts, gan.data, draws, conditional)
        for name, ours, theirs in (("G", gan.G, G), ("D", gan.D, D)):
            grads = torch.cat([p.grad.reshape(-1) for p in theirs.parameters()]).numpy()
            assert _normwise(ours.flat_grads, grads) < RTOL, (name, it)
            params = torch.cat([p.detach().reshape(-1) for p in theirs.parameters()]).numpy()
            cancelled = _cancelled_biases(ours)
            err = _normwise(ours.flat_params[~cancelled], params[~cancelled])
            assert err < RTOL, (name, it, err)
            # Each iteration moves a cancelled bias by at most lr·|g|/eps = 2e-4·|g|/1e-8 with
            # |g| (rounding noise) below 1e-15 here: 2e-11; 1e-9 bounds 3 iterations of both.
            assert np.max(np.abs(ours.flat_params - params)[cancelled]) < 1e-9, (name, it)
            for a, b in zip(ours.layers, theirs, strict=True):
                if not isinstance(a, BatchNorm):
                    continue
                assert _normwise(a.running_var, b.running_var.numpy()) < RTOL, (name, it)
                # A running mean is a convex combination of batch means, each shifted by the
                # cancelled bias of that moment: within RTOL plus the 1e-9 bound above.
                mean = b.running_mean.numpy()
                err = np.max(np.abs(a.running_mean - mean))
                assert err < RTOL * np.max(np.abs(mean)) + 1e-9, (name, it)
        # Losses near 2 log 2 and log 2, means of M softplus values: a few ulps apart.
        assert abs(gan.history.loss_d[-1] - loss_d) < 1e-14, it
        assert abs(gan.history.loss_g[-1] - loss_g) < 1e-14, it
