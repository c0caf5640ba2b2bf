"""The tiny networks written again in torch (float64): the independent reference for the
network tests and benchmarks. torch is a test/benchmark dependency only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

torch.set_default_dtype(torch.float64)

ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid,
    "leaky_relu": torch.nn.functional.leaky_relu, "softplus": torch.nn.functional.softplus,
}


def modules(prob: Any, theta: np.ndarray) -> torch.nn.Sequential:
    """The network as torch.nn.Linear layers holding θ (weight = our W transposed)."""
    layers: list[torch.nn.Module] = []
    act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid,
           "leaky_relu": torch.nn.LeakyReLU, "softplus": torch.nn.Softplus}[prob.activation]
    for i, layer in enumerate(prob.layers):
        lin = torch.nn.Linear(layer.fan_in, layer.fan_out)
        w_end = layer.offset + layer.fan_in * layer.fan_out
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(theta[layer.offset:w_end].reshape(
                layer.fan_in, layer.fan_out).T))
            lin.bias.copy_(torch.tensor(theta[w_end:layer.offset + layer.size]))
        layers.append(lin)
        if i < len(prob.layers) - 1:
            layers.append(act())
    return torch.nn.Sequential(*layers)


def flat(model: torch.nn.Sequential) -> np.ndarray:
    """A torch model's parameters in our layout (W = weight.T, then b, layer by layer)."""
    parts = []
    for m in model:
        if isinstance(m, torch.nn.Linear):
            parts += [m.weight.detach().numpy().T.ravel(), m.bias.detach().numpy()]
    return np.concatenate(parts)


def data_loss(prob: Any, out: torch.Tensor, y: np.ndarray) -> torch.Tensor:
    if prob.task == "regression":
        return torch.nn.functional.mse_loss(out[:, 0], torch.tensor(y))
    return torch.nn.functional.cross_entropy(out, torch.tensor(y))


def loss_fn(prob: Any, X: np.ndarray | None = None,
            y: np.ndarray | None = None) -> Callable[[torch.Tensor], torch.Tensor]:
    """θ (P,) tensor -> the mean loss, written with plain tensor ops (for torch.func)."""
    Xt = torch.tensor(prob.X if X is None else X)
    yv = prob.y if y is None else y
    act = ACTIVATIONS[prob.activation]

    def f(theta: torch.Tensor) -> torch.Tensor:
        h = Xt
        for i, layer in enumerate(prob.layers):
            w_end = layer.offset + layer.fan_in * layer.fan_out
            W = theta[layer.offset:w_end].reshape(layer.fan_in, layer.fan_out)
            h = h @ W + theta[w_end:layer.offset + layer.size]
            if i < len(prob.layers) - 1:
                h = act(h)
        loss = data_loss(prob, h, yv)
        if prob.weight_decay:
            loss = loss + 0.5 * prob.weight_decay * torch.sum(theta * theta)
        return loss
    return f
