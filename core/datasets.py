"""Data-set surfaces: the loss of a tiny model over two of its parameters, (w, b) = (x, y).

The loss is built from engine operations over data columns, so its gradient is real
backpropagation through the model (per sample, then averaged), and mini-batches are real
subsets of the samples. The data are synthetic and generated from a seed: no downloads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from gradscape.core.errors import Refusal
from gradscape.core.graph import Node, call, data, literal, var
from gradscape.core.params import REFUSE
from gradscape.core.surface import Array, Bounds, Surface

MAX_SAMPLES = 4096
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")
LOSSES = ("mse", "cross_entropy")
UNKNOWN = Refusal("dataset.unknown", "unknown data set {name}; known: {known}")
UNKNOWN_OPTION = Refusal("dataset.unknown_option",
                         "unknown option(s) {names} for {dataset}; known: {known}")


@dataclass(frozen=True)
class Option:
    default: Any
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    doc: str = ""


@dataclass(frozen=True)
class DatasetSpec:
    id: str
    name: str
    formula: str  # the loss as a reader would write it
    options: Mapping[str, Option]
    build: Callable[[Mapping[str, Any]], Surface]
    description: Mapping[str, str]


COMMON: dict[str, Option] = {
    "samples": Option(64, minimum=2, maximum=MAX_SAMPLES, doc="number of data points"),
    "seed": Option(0, minimum=0, maximum=2**32 - 1, doc="seed of the synthetic data"),
}


def resolve_options(spec: DatasetSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults filled in; unknown names and out-of-range values raise ValueError."""
    unknown = set(given) - set(spec.options)
    if unknown:
        raise UNKNOWN_OPTION(names=", ".join(map(repr, sorted(unknown))), dataset=spec.id,
                             known=", ".join(sorted(spec.options)))
    resolved: dict[str, Any] = {}
    for name, opt in spec.options.items():
        value = given.get(name, opt.default)
        if opt.choices and value not in opt.choices:
            raise REFUSE["param.choice"](name=name, value=repr(value),
                                         choices=", ".join(map(str, opt.choices)))
        if opt.minimum is not None or opt.maximum is not None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise REFUSE["param.not_number"](name=name, value=repr(value))
            if (opt.minimum is not None and value < opt.minimum) or (
                    opt.maximum is not None and value > opt.maximum):
                raise REFUSE["param.between"](name=name, value=repr(value),
                                              low=opt.minimum, high=opt.maximum)
        resolved[name] = value
    return resolved


def _bounds_around(center: tuple[float, float], half: float) -> Bounds:
    return (center[0] - half, center[0] + half, center[1] - half, center[1] + half)


def _linear(u: Node) -> Node:
    return var("x") * u + var("y")


def linear_regression(options: Mapping[str, Any]) -> Surface:
    """Mean squared error of t ≈ w·u + b; raw features span [0, 10] unless standardized."""
    rng = np.random.default_rng(options["seed"])
    n = int(options["samples"])
    u = rng.uniform(0.0, 10.0, n)
    t = 2.0 * u - 1.0 + rng.normal(0.0, 1.0, n)
    if options["standardize"]:
        u = (u - u.mean()) / u.std()
    w, b = np.polyfit(u, t, 1)  # least squares: the minimum, to centre the view on
    with literal():
        expr = call("mean", (_linear(data("u", ("S",))) - data("t", ("S",))) ** 2)
    half = 3.0 if options["standardize"] else 2.0 + abs(float(w))
    return Surface(expr, "mean((w*u + b - t)^2)", _bounds_around((float(w), float(b)), half),
                   data={"u": u, "t": t})


def _labels(rng: np.random.Generator, n: int) -> tuple[Array, Array]:
    """1D features and 0/1 labels from a noisy threshold at u = 0.5."""
    u = rng.normal(0.0, 2.0, n)
    c = (u + rng.normal(0.0, 1.0, n) > 0.5).astype(np.float64)
    return u, c


def _cross_entropy(logit: Node, c: Node) -> Node:
    """Binary softmax cross-entropy: -c log σ(z) - (1-c) log(1-σ(z)) = softplus(z) - c z."""
    return call("softplus", logit) - c * logit


def logistic_regression(options: Mapping[str, Any]) -> Surface:
    rng = np.random.default_rng(options["seed"])
    u, c = _labels(rng, int(options["samples"]))
    with literal():
        expr = call("mean", _cross_entropy(_linear(data("u", ("S",))), data("c", ("S",))))
    return Surface(expr, "mean(softplus(w*u + b) - c*(w*u + b))", (-4.0, 8.0, -6.0, 6.0),
                   data={"u": u, "c": c})


def single_neuron(options: Mapping[str, Any]) -> Surface:
    """act(w·u + b) trained with MSE on 0/1 targets, or with cross-entropy using it as a logit."""
    rng = np.random.default_rng(options["seed"])
    u, c = _labels(rng, int(options["samples"]))
    act, loss = options["activation"], options["loss"]
    with literal():
        out = call(act, _linear(data("u", ("S",))))
        cd = data("c", ("S",))
        per_sample = (out - cd) ** 2 if loss == "mse" else _cross_entropy(out, cd)
        expr = call("mean", per_sample)
    text = (f"mean(({act}(w*u + b) - c)^2)" if loss == "mse"
            else f"mean(softplus({act}(w*u + b)) - c*{act}(w*u + b))")
    return Surface(expr, text, (-6.0, 6.0, -6.0, 6.0), data={"u": u, "c": c})


DATASETS: dict[str, DatasetSpec] = {
    spec.id: spec for spec in [
        DatasetSpec(
            "linear_regression", "Linear regression (w, b)", "mean((w*u + b - t)^2)",
            {**COMMON, "standardize": Option(False, (False, True),
                                             doc="rescale the feature to mean 0, std 1")},
            linear_regression,
            {"en": "The mean squared error of a line w·u + b fitted to 64 noisy points. The raw "
                   "feature u lies in [0, 10], so the loss changes much faster along w than "
                   "along b: the contours are long thin ellipses and gradient descent zig-zags. "
                   "Switch on 'standardize' and the same data give nearly round contours.",
             "zh": "用直线 w·u + b 拟合 64 个带噪声的点时的均方误差。原始特征 u 在 [0, 10] 之间，"
                   "损失沿 w 方向的变化远快于沿 b 方向：等高线是细长的椭圆，梯度下降会来回震荡。"
                   "打开“标准化”后，同样的数据得到接近圆形的等高线。"}),
        DatasetSpec(
            "logistic_regression", "Logistic regression (w, b)",
            "mean(softplus(w*u + b) - c*(w*u + b))", COMMON, logistic_regression,
            {"en": "Cross-entropy of a logistic classifier σ(w·u + b) on 64 labelled points. "
                   "Convex, but flat far from the optimum where the classifier is confidently "
                   "wrong or right.",
             "zh": "逻辑回归分类器 σ(w·u + b) 在 64 个带标签数据点上的交叉熵。它是凸的，"
                   "但远离最优点、分类器非常自信时，曲面变得平坦。"}),
        DatasetSpec(
            "single_neuron", "Single neuron (w, b)", "mean(loss(act(w*u + b), c))",
            {**COMMON,
             "activation": Option("sigmoid", ACTIVATIONS, doc="the neuron's activation"),
             "loss": Option("mse", LOSSES, doc="mean squared error or cross-entropy")},
            single_neuron,
            {"en": "One neuron act(w·u + b) on 64 labelled points. With a sigmoid or tanh and "
                   "squared error, large |w| saturates the activation: wide flat plateaus where "
                   "the gradient vanishes and descent crawls. ReLU's gradient is 1 for positive "
                   "inputs, but a dead zone appears where every input is negative.",
             "zh": "单个神经元 act(w·u + b) 在 64 个带标签数据点上的损失。使用 sigmoid 或 tanh "
                   "并配合均方误差时，|w| 较大会使激活饱和："
                   "出现大片平坦区域，梯度消失，下降非常缓慢。"
                   "ReLU 对正输入的梯度为 1，但当所有输入都为负时会出现“死区”。"}),
    ]
}


def dataset_surface(dataset_id: str, options: Mapping[str, Any] | None = None) -> Surface:
    spec = DATASETS.get(dataset_id)
    if spec is None:
        raise UNKNOWN(name=repr(dataset_id), known=", ".join(DATASETS))
    resolved = resolve_options(spec, options or {})
    surf = spec.build(resolved)
    surf.id, surf.name = dataset_id, spec.name
    return surf
