"""Tiny MLPs as problems of the autodiff engine: loss, gradient, Hessian-vector products.

The network is built from the same graph primitives as every surface (matmul, logsumexp,
sum/mean over the sample axis, the activations), so its gradient is the engine's reverse
mode and a Hessian-vector product is reverse mode applied to the graph of g·v: exact, with
no second hand-written backprop. Each parameter tensor is a variable of its own shape; a
batch of N parameter vectors (N, P) runs through one compiled function as views (N, *shape).

Parameter layout (the issue's contract): layer by layer, W of shape (fan_in, fan_out)
row-major, then b (fan_out,). The forward pass is h ← act(h W + b), so W is the transpose
of torch.nn.Linear's weight.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gradscape.core.autodiff import gradient
from gradscape.core.codegen import CompiledGraph, compile_graph
from gradscape.core.graph import Node, call, const, data, simplified, var
from gradscape.core.netdata import NetData, make_data

Array = NDArray[np.float64]

ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu", "softplus")
MAX_DEPTH = 4
MAX_WIDTH = 64
MAX_WEIGHT_DECAY = 10.0
MAX_HESSIAN_PARAMS = 3000  # a dense P x P Hessian beyond this is too big to send or decompose
CHUNK_ELEMENTS = 2_000_000  # points x samples x width per pass: bounds the temporaries' memory


@dataclass(frozen=True)
class Layer:
    fan_in: int
    fan_out: int
    offset: int  # where W starts in the parameter vector; b follows W

    @property
    def size(self) -> int:
        return (self.fan_in + 1) * self.fan_out


def _check_hidden(hidden: Any) -> tuple[int, ...]:
    if isinstance(hidden, int | np.integer) and not isinstance(hidden, bool):
        hidden = (int(hidden),)
    if not isinstance(hidden, Sequence) or isinstance(hidden, str):
        raise ValueError(f"Invalid hidden: {hidden!r} (a list of layer widths, e.g. [16, 16])")
    if len(hidden) > MAX_DEPTH:
        raise ValueError(f"Invalid hidden: {list(hidden)} (at most {MAX_DEPTH} hidden layers)")
    for w in hidden:
        if isinstance(w, bool) or not isinstance(w, int | np.integer) or not 1 <= w <= MAX_WIDTH:
            raise ValueError(f"Invalid hidden: width {w!r} (each width must be a whole number "
                             f"between 1 and {MAX_WIDTH})")
    return tuple(int(w) for w in hidden)


def _flat_sum(node: Node) -> Node:
    while node.shape:
        node = call("sum", node)
    return node


@dataclass
class NetworkProblem:
    """An MLP with its data: build one with `core.network_problem(...)`."""

    dataset: str
    hidden: tuple[int, ...]
    activation: str
    weight_decay: float
    data: NetData
    layers: list[Layer] = field(default_factory=list)
    _fns: dict[str, CompiledGraph] = field(default_factory=dict, repr=False)
    _cache: dict[str, tuple[Array, Array]] = field(default_factory=dict, repr=False)

    # --- the API ------------------------------------------------------------------
    @property
    def n_params(self) -> int:
        return sum(layer.size for layer in self.layers)

    @property
    def X(self) -> Array:  # noqa: N802 - the issue's names
        return self.data.X

    @property
    def y(self) -> Array | NDArray[np.int64]:
        return self.data.y

    @property
    def X_test(self) -> Array:  # noqa: N802
        return self.data.X_test

    @property
    def y_test(self) -> Array | NDArray[np.int64]:
        return self.data.y_test

    @property
    def task(self) -> str:
        return self.data.task

    @property
    def classes(self) -> int:
        return self.data.classes

    def init(self, seed: int = 0) -> Array:
        """torch.nn.Linear's default: weights and biases uniform in ±1/√fan_in."""
        rng = np.random.default_rng([int(seed), 7])
        theta = np.empty(self.n_params)
        for layer in self.layers:
            bound = 1.0 / np.sqrt(layer.fan_in)
            theta[layer.offset:layer.offset + layer.size] = rng.uniform(-bound, bound, layer.size)
        return theta

    def loss(self, theta: ArrayLike, X: Array | None = None,
             y: ArrayLike | None = None) -> Array:
        """(N, P) -> (N,): mean loss over the training set (or over X, y if given)."""
        T = self._thetas(theta)
        d = self._data(X, y)
        out = np.empty(T.shape[0])
        for lo, hi in self._chunks(T.shape[0], d[0].shape[0]):
            with np.errstate(all="ignore"):  # overflow gives inf, not a warning
                (value,) = self._fn("loss")(*self._views(T[lo:hi]), *d)
            out[lo:hi] = value
        return out

    def loss_and_grad(self, theta: ArrayLike, X: Array | None = None,
                      y: ArrayLike | None = None) -> tuple[Array, Array]:
        """(N, P) -> the losses (N,) and gradients (N, P), in one pass."""
        T = self._thetas(theta)
        d = self._data(X, y)
        values, grads = np.empty(T.shape[0]), np.empty(T.shape)
        for lo, hi in self._chunks(T.shape[0], d[0].shape[0]):
            with np.errstate(all="ignore"):
                value, _, *parts = self._fn("grad")(*self._views(T[lo:hi]), *d)
            values[lo:hi] = value
            self._gather(parts, grads[lo:hi])
        return values, grads

    def grad(self, theta: ArrayLike) -> Array:
        """(N, P) -> (N, P): the gradient of the mean training loss."""
        return self.loss_and_grad(theta)[1]

    def hvp(self, theta: ArrayLike, V: ArrayLike) -> Array:
        """Hessian-vector products H(θ) v for each row v of V: (P,), (K, P) -> (K, P).

        The forward pass runs once (θ as one point) and numpy broadcasts it against the
        K directions: the K products cost far less than K separate passes.
        """
        t = np.asarray(theta, dtype=np.float64)
        if t.shape != (self.n_params,):
            raise ValueError(f"Invalid theta: shape {t.shape} (expected ({self.n_params},))")
        D = np.asarray(V, dtype=np.float64)
        if D.ndim == 1:
            D = D[None, :]
        if D.ndim != 2 or D.shape[1] != self.n_params:
            raise ValueError(f"Invalid V: shape {D.shape} (expected (K, {self.n_params}))")
        d = self._data(None, None)
        out = np.empty(D.shape)
        point = self._views(t[None, :])
        # The HVP graph holds several (K, S, width) temporaries at once: smaller chunks.
        for lo, hi in self._chunks(D.shape[0], 3 * d[0].shape[0]):
            with np.errstate(all="ignore"):
                parts = self._fn("hvp")(*point, *self._views(D[lo:hi]), *d)
            self._gather(list(parts), out[lo:hi])
        return out

    def hessian(self, theta: ArrayLike) -> Array:
        """The full (P, P) Hessian: P Hessian-vector products with the unit vectors."""
        if self.n_params > MAX_HESSIAN_PARAMS:
            raise ValueError(f"Invalid network for a full Hessian: {self.n_params} parameters "
                             f"(at most {MAX_HESSIAN_PARAMS}; use lambda_max instead)")
        H = self.hvp(theta, np.eye(self.n_params))
        return 0.5 * (H + H.T)  # exact up to rounding; symmetric for eigvalsh

    def predict(self, theta: ArrayLike, X: ArrayLike) -> Array:
        """Class probabilities (M, C) for classification, values (M,) for regression."""
        t = np.asarray(theta, dtype=np.float64)
        if t.shape != (self.n_params,):
            raise ValueError(f"Invalid theta: shape {t.shape} (expected ({self.n_params},))")
        inputs = self._inputs(X)
        with np.errstate(all="ignore"):
            (out,) = self._fn("predict")(*self._views(t[None, :]), inputs)
        out = np.asarray(out)[0]
        if self.task == "regression":
            return np.asarray(out[:, 0], dtype=np.float64)
        with np.errstate(all="ignore"):
            z = out - out.max(axis=1, keepdims=True)
            p = np.exp(z)
            return np.asarray(p / p.sum(axis=1, keepdims=True), dtype=np.float64)

    def step_eval(self, theta: Array, X: Array, y: ArrayLike,
                  with_grad: bool) -> tuple[float, float | None, Array | None]:
        """Loss, accuracy (None for regression) and optionally the gradient at one θ (P,) on
        one (mini-)batch, from one compiled pass: what a training step needs."""
        d = self._data(X, y)
        views = self._views(theta[None, :])
        with np.errstate(all="ignore"):  # a diverging run gives inf, not a warning
            if with_grad:
                value, out, *parts = self._fn("grad")(*views, *d)
                g = np.empty((1, self.n_params))
                self._gather(parts, g)
            else:
                value, out = self._fn("eval")(*views, *d)
                g = None
        acc = None
        if self.task == "classification":
            acc = float(np.mean(np.argmax(np.asarray(out)[0], axis=1) == np.asarray(y)))
        return float(np.asarray(value).reshape(-1)[0]), acc, None if g is None else g[0]

    def accuracy(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
        """Fraction of correctly classified points (classification only)."""
        return float(np.mean(np.argmax(self.predict(theta, X), axis=1) == np.asarray(y)))

    # --- plumbing -------------------------------------------------------------------------
    def _thetas(self, theta: ArrayLike) -> Array:
        T = np.asarray(theta, dtype=np.float64)
        if T.ndim == 1:
            T = T[None, :]
        if T.ndim != 2 or T.shape[1] != self.n_params:
            raise ValueError(f"Invalid theta: shape {T.shape} (expected (N, {self.n_params}))")
        return T

    def _inputs(self, X: ArrayLike) -> Array:
        A = np.asarray(X, dtype=np.float64)
        d_in = self.layers[0].fan_in
        if A.ndim != 2 or A.shape[1] != d_in:
            raise ValueError(f"Invalid X: shape {A.shape} (expected (M, {d_in}))")
        return A

    def _data(self, X: Array | None, y: ArrayLike | None) -> tuple[Array, Array]:
        """The run-time data arrays: inputs and one-hot labels (or targets)."""
        key = "train" if X is None or (X is self.data.X and y is self.data.y) else \
            "test" if X is self.data.X_test and y is self.data.y_test else ""
        if key in self._cache:
            return self._cache[key]
        if X is None:
            X, y = self.data.X, self.data.y
        A = self._inputs(X)
        labels = np.asarray(y)
        if labels.shape != (A.shape[0],):
            raise ValueError(f"Invalid y: shape {labels.shape} (expected ({A.shape[0]},))")
        if self.task == "regression":
            out = (A, labels.astype(np.float64))
        else:
            onehot = np.zeros((A.shape[0], self.classes))
            onehot[np.arange(A.shape[0]), labels.astype(np.int64)] = 1.0
            out = (A, onehot)
        if key:  # the training and test sets are used every step: encode them once
            self._cache[key] = out
        return out

    def _chunks(self, n: int, samples: int) -> list[tuple[int, int]]:
        width = max([*self.hidden, self.classes, 1])
        size = max(1, CHUNK_ELEMENTS // max(1, samples * width))
        return [(lo, min(n, lo + size)) for lo in range(0, n, size)]

    def _views(self, T: Array) -> list[Array]:
        """Each layer's W (N, fan_in, fan_out) and b (N, fan_out) as views of T (N, P)."""
        n, out = T.shape[0], []
        for layer in self.layers:
            w_end = layer.offset + layer.fan_in * layer.fan_out
            out.append(T[:, layer.offset:w_end].reshape(n, layer.fan_in, layer.fan_out))
            out.append(T[:, w_end:layer.offset + layer.size])
        return out

    def _gather(self, parts: list[Any], out: Array) -> None:
        """Write per-tensor results (W, b, W, b, ...) into the rows of a flat (K, P) array."""
        sizes = [n for layer in self.layers
                 for n in (layer.fan_in * layer.fan_out, layer.fan_out)]
        pos = 0
        for part, size in zip(parts, sizes, strict=True):
            a = np.asarray(part)
            # A part may come back with a point axis of 1 (or as a constant): it broadcasts.
            out[:, pos:pos + size] = a.reshape(a.shape[0], size) if a.ndim > 1 else a
            pos += size

    def _params(self, prefix: str = "") -> list[Node]:
        nodes = []
        for i, layer in enumerate(self.layers):
            nodes.append(var(f"{prefix}W{i}", (layer.fan_in, layer.fan_out)))
            nodes.append(var(f"{prefix}b{i}", (layer.fan_out,)))
        return nodes

    def _forward(self, params: list[Node], inputs: Node) -> Node:
        h = inputs
        for i in range(len(self.layers)):
            h = call("add", call("matmul", h, params[2 * i]), params[2 * i + 1])
            if i < len(self.layers) - 1:
                h = call(self.activation, h)
        return h

    def _loss_graph(self, params: list[Node]) -> tuple[Node, Node]:
        """The mean loss and the network's outputs (S, C) on the data set X."""
        inputs = data("X", ("S", self.layers[0].fan_in))
        out = self._forward(params, inputs)
        if self.task == "regression":
            per_sample = (call("sum", out) - data("t", ("S",))) ** 2.0
        else:
            onehot = data("Y", ("S", self.classes))
            per_sample = call("logsumexp", out) - call("sum", out * onehot)
        loss = call("mean", per_sample)
        if self.weight_decay:
            penalty = _flat_sum(params[0] * params[0])
            for p in params[1:]:
                penalty = penalty + _flat_sum(p * p)
            loss = loss + const(0.5 * self.weight_decay) * penalty
        return loss, out

    def _fn(self, kind: str) -> CompiledGraph:
        fn = self._fns.get(kind)
        if fn is not None:
            return fn
        params = self._params()
        names = [p.name for p in params]
        target = "t" if self.task == "regression" else "Y"
        loss, out = self._loss_graph(params)
        if kind == "loss":
            fn = compile_graph(simplified([loss]), names, ["X", target])
        elif kind == "eval":  # the loss and the outputs (for accuracy) in one forward pass
            fn = compile_graph(simplified([loss, out]), names, ["X", target])
        elif kind == "grad":
            fn = compile_graph(simplified([loss, out, *gradient(loss, params)]), names,
                               ["X", target])
        elif kind == "hvp":
            dirs = self._params("V")
            grads = gradient(loss, params)
            dot = _flat_sum(grads[0] * dirs[0])
            for g, v in zip(grads[1:], dirs[1:], strict=True):
                dot = dot + _flat_sum(g * v)
            hv = gradient(dot, params)
            fn = compile_graph(simplified(hv), names + [v.name for v in dirs], ["X", target])
        elif kind == "predict":
            out = self._forward(params, data("X", ("S", self.layers[0].fan_in)))
            fn = compile_graph(simplified([out]), names, ["X"])
        else:
            raise ValueError(f"unknown function {kind!r}")
        self._fns[kind] = fn
        return fn


def network_problem(dataset: str = "moons", hidden: Sequence[int] = (16, 16),
                    activation: str = "tanh", samples: int = 200, test_samples: int = 200,
                    noise: float | None = None, seed: int = 0, weight_decay: float = 0.0,
                    classes: int | None = None) -> NetworkProblem:
    """An MLP on a synthetic data set; ValueError naming the field for any bad spec.

    Softmax cross-entropy for the classification sets (one logit per class), mean squared
    error for the regression set (`sine`). `weight_decay` λ adds (λ/2)·‖θ‖² (all weights and
    biases) to the loss, so the gradient gains λθ, as torch's coupled weight decay does.
    """
    widths = _check_hidden(hidden)
    if activation not in ACTIVATIONS:
        raise ValueError(f"Invalid activation: {activation!r} (choose one of {list(ACTIVATIONS)})")
    if isinstance(weight_decay, bool) or not isinstance(weight_decay, int | float) \
            or not 0.0 <= weight_decay <= MAX_WEIGHT_DECAY:
        raise ValueError(f"Invalid weight_decay: {weight_decay!r} (must be a number between 0 "
                         f"and {MAX_WEIGHT_DECAY})")
    nd = make_data(dataset, samples, test_samples, noise, seed, classes)
    sizes = [nd.X.shape[1], *widths, nd.classes]
    layers, offset = [], 0
    for fan_in, fan_out in itertools.pairwise(sizes):
        layers.append(Layer(fan_in, fan_out, offset))
        offset += (fan_in + 1) * fan_out
    return NetworkProblem(dataset, widths, activation, float(weight_decay), nd, layers)
