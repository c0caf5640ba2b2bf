"""The lesson gallery: ready-made classroom scenes, each with a claim that a test checks.

A lesson is a scene (what the playground shows: surface, runs, steps, seed, view) plus its
words in English and Simplified Chinese: a title, a one-line summary for the gallery, what
it teaches, what to watch, a question to predict before playing, and the claim that the
reveal states (the lessons panel shows them as steps in that order). tests/test_lessons.py runs
every scene through core and asserts its claim, so an engine change that breaks a lesson
breaks the build. Scenes use the same shape as the server's run request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, Unpack

# typing_extensions' TypedDict (typing's on Python 3.12+): the server's lesson answers validate
# scenes with these very types (server/lessonschemas.py), and pydantic needs it before 3.12.
from typing_extensions import TypedDict

Text = dict[str, str]  # {"en": ..., "zh": ...}
# A hyperparameter, schedule parameter or data-set option (as in a run request).
Value = bool | int | float | str


class FormulaSpec(TypedDict):
    formula: str
    bounds: NotRequired[list[float]]


class DatasetSpec(TypedDict):
    dataset: str
    options: NotRequired[dict[str, Value]]


SurfaceSpec = str | FormulaSpec | DatasetSpec  # a surface id, a formula or a data set


class RunExtras(TypedDict, total=False):
    """A contestant's fields beyond its optimizer and start (RunSpec's, all optional)."""

    params: dict[str, Value]
    schedule: str
    schedule_params: dict[str, Value]
    noise: float
    batch_size: int


class SceneRun(RunExtras):
    optimizer: str
    start: list[float]


class SceneExtras(TypedDict, total=False):
    eigen: bool  # race with the Hessian's eigen-decomposition
    critical: bool  # False: no critical-point markers
    taylor: bool  # draw the quadratic Taylor model


class Scene(SceneExtras):
    """What the playground shows: the shape of a run request plus the view it opens in."""

    surface: SurfaceSpec
    runs: list[SceneRun]
    steps: int
    seed: int
    view: str


Plane = Literal["pca", "random", "hessian", "interp"]  # the network lab's slice planes


class NetworkScene(TypedDict):
    """A real-network lesson's scene (lessons/networks.py): what the network lab opens."""

    mode: Literal["network"]
    # The JSON body of a network race (server/netschemas.py NetRaceRequest): free-form here
    # because lessons sit below the server; tests/test_lessons_networks.py validates each.
    request: dict[str, Any]
    plane: Plane
    step: int | None


class Extras(TypedDict, total=False):
    point: list[float]  # the point the panel inspects


class Variant(TypedDict, total=False):  # {} for a lesson without one
    label: Text
    scene: Scene | NetworkScene


@dataclass(frozen=True)
class Lesson:
    id: str
    concept: str  # the CONCEPTS.md section it teaches
    scene: Scene | NetworkScene
    title: Text
    explanation: Text
    watch: Text
    predict: Text
    claim: Text  # what happens, in words; asserted by tests/test_lessons.py
    extras: Extras = field(default_factory=Extras)
    summary: Text = field(default_factory=dict)  # one line for the gallery and the index
    # The "after" a claim also speaks of (standardized, ReLU, momentum's map): a second scene
    # the panel offers once the answer is shown, {"label": Text, "scene": ...}; tested too.
    variant: Variant = field(default_factory=Variant)
    # Every number the texts state that is not a value of the scene itself (a loss bound, a
    # step count, a ratio): each is asserted against the scene by a check in the lesson tests,
    # and the authoring test fails on a number in the text that is neither here nor in the scene.
    facts: tuple[str, ...] = ()


def run(optimizer: str, start: tuple[float, float], **extra: Unpack[RunExtras]) -> SceneRun:
    """One contestant of a scene; `params` and the other RunSpec fields go in `extra`."""
    return {"optimizer": optimizer, "start": list(start), "params": extra.get("params", {}),
            **extra}


def scene(surface: SurfaceSpec, runs: list[SceneRun], steps: int, *, seed: int = 0,
          view: str = "contour", **extra: Unpack[SceneExtras]) -> Scene:
    return {"surface": surface, "runs": runs, "steps": steps, "seed": seed, "view": view,
            **extra}


SADDLE_FORMULA: FormulaSpec = {"formula": "x^2 - y^2 + 0.25*y^4",
                               "bounds": [-2.0, 2.0, -2.5, 2.5]}
LR_STARTS = (4.0, 2.0)
# feature_scaling: one model (the line w·u + b) in both coordinates. With the feature
# standardized, u' = (u − mean)/std, the same line has w' = w·std and b' = b + w·mean; the
# data set's mean 4.9364 and std 2.9459 give (3.5351, 8.4237) for the raw (1.2, 2.5).
RAW_START, STANDARDIZED_START = (1.2, 2.5), (3.5351, 8.4237)
SIGMOID_MSE: DatasetSpec = {"dataset": "single_neuron",
                             "options": {"activation": "sigmoid", "loss": "mse"}}
WARMUP: dict[str, Value] = {"T_max": 600, "warmup_steps": 50, "warmup_start_factor": 0.05}

LESSONS: list[Lesson] = [
    Lesson(
        "random_vs_gradient", "1",
        scene("booth", [run("random_search", (-3, 7)),
                        run("random_local_search", (-3, 7), params={"step_size": 0.3}),
                        run("sgd", (-3, 7), params={"lr": 0.05})], 100),
        {"en": "Guessing vs following the gradient",
         "zh": "随机猜测与沿梯度下降"},
        {"en": "Three ways downhill from the same start: random search tries random points "
               "and keeps the best, random local search tries small random steps and keeps "
               "those that help, gradient descent computes the steepest direction.",
         "zh": "从同一个起点用三种方法下山：随机搜索随机取点并保留最好的，随机局部搜索尝试小的"
               "随机步并只保留有用的，梯度下降则计算出最陡的方向。"},
        {"en": "How many tries each search throws away, and how close each gets in 100 steps.",
         "zh": "两种搜索各扔掉了多少次尝试，以及 100 步内各自离最小值有多近。"},
        {"en": "After 100 steps, which of the three is closest to the minimum?",
         "zh": "100 步之后，三者中哪一个离最小值最近？"},
        {"en": "Gradient descent is closest: it reaches the minimum (loss below 1e-6). The "
               "searches "
               "depend on their random draws, but for every seed from 0 to 19 both end with a "
               "loss above 1e-4, and random search, which ignores where it stands, ends "
               "furthest away.",
         "zh": "梯度下降最近：它到达最小值（损失低于 1e-6）。两种搜索的结果取决于随机抽样，但对 "
               "0 到 19 的每个随机种子，两者最终的损失都高于 1e-4；随机搜索根本不看自己所在的"
               "位置，离得最远。"},
        summary={"en": "Random search, random local search and gradient descent race from one "
                       "start.",
                 "zh": "随机搜索、随机局部搜索和梯度下降从同一个起点出发比赛。"},
        facts=("1e-6", "19", "1e-4")),
    Lesson(
        "gradient_check", "1",
        scene({"formula": "sin(x)*y + x^2", "bounds": [-3, 3, -3, 3]},
              [run("sgd", (1.0, 2.0), params={"lr": 0.05})], 50, view="inspector"),
        {"en": "Numerical vs analytic gradient", "zh": "数值梯度与解析梯度"},
        {"en": "The inspector shows the exact gradient from backprop next to a centred "
               "difference (f(x+h) − f(x−h)) / 2h, and their relative error. A bug in a "
               "derivative rule shows up at once as a large relative error.",
         "zh": "检查器同时显示反向传播得到的精确梯度和中心差分 (f(x+h) − f(x−h)) / 2h，"
               "以及两者的相对误差。导数规则中的错误会立刻表现为很大的相对误差。"},
        {"en": "The relative error line in the step inspector.",
         "zh": "步骤检查器中的相对误差一行。"},
        {"en": "Will the relative error be nearer 1e-2 or 1e-9?",
         "zh": "相对误差会更接近 1e-2 还是 1e-9？"},
        {"en": "Nearer 1e-9: with the correct rules it stays below 1e-9 at every step, the "
               "centred difference's own error; with sin's derivative written as sin "
               "instead of cos it exceeds 1e-2.",
         "zh": "更接近 1e-9：规则正确时，每一步的相对误差都低于 1e-9，这只是中心差分本身的误差；"
               "如果把 sin 的导数错写成 sin（应为 cos），误差超过 1e-2。"},
        extras={"point": [1.0, 2.0]},
        summary={"en": "The gradient check: backprop's exact gradient against centred differences.",
                 "zh": "梯度检查：反向传播的精确梯度与中心差分对比。"},
        facts=("1e-2", "1e-9")),
    Lesson(
        "backprop_gates", "2",
        scene({"formula": "max(x, y) + x*y + x", "bounds": [-4, 4, -4, 4]},
              [run("sgd", (3.0, 2.0), params={"lr": 0.01})], 1, view="graph"),
        {"en": "Backprop through gates", "zh": "反向传播：梯度如何流过各个门"},
        {"en": "The graph view shows each gate with its forward value and its gradient. "
               "An add gate hands its gradient to both inputs, a max gate routes all of it "
               "to the larger input, a multiply gate gives each input the other input "
               "times the gradient, and x, used three times, collects the sum.",
         "zh": "计算图视图显示每个门的前向值和梯度。加法门把梯度原样传给两个输入，max 门把梯度"
               "全部交给较大的那个输入，乘法门交给每个输入的是“另一个输入乘以梯度”，而用到了三次"
               "的 x 把三份梯度加起来。"},
        {"en": "The gradient printed under x and under y.",
         "zh": "x 和 y 下方显示的梯度。"},
        {"en": "At (3, 2), what is the gradient of f with respect to x?",
         "zh": "在 (3, 2) 处，f 对 x 的梯度是多少？"},
        {"en": "At (3, 2): x gets 1 (through max) + 2 (through the multiply) + 1 (direct) = "
               "4; y gets 0 through max and 3 through the multiply.",
         "zh": "在 (3, 2) 处：x 得到 1（经过 max）+ 2（经过乘法）+ 1（直接相加）= 4；"
               "y 经过 max 得到 0，经过乘法得到 3。"},
        extras={"point": [3.0, 2.0]},
        summary={"en": "How add, max and multiply gates pass the gradient back, and why fan-out "
                       "sums.",
                 "zh": "加法门、max 门和乘法门如何回传梯度，以及多处使用的变量为何求和。"},
        facts=("1", "4")),
    Lesson(
        "learning_rate", "3",
        scene("elongated_bowl", [run("sgd", LR_STARTS, params={"lr": 0.001}),
                                 run("sgd", LR_STARTS, params={"lr": 0.05}),
                                 run("sgd", LR_STARTS, params={"lr": 0.095}),
                                 run("sgd", LR_STARTS, params={"lr": 0.11})], 200,
              eigen=True),
        {"en": "Learning rate: too small, right, bouncing, unstable",
         "zh": "学习率：太小、合适、来回跳、发散"},
        {"en": "The bowl 0.5x² + 10y² curves 20 times more along y than along x: its Hessian's "
               "eigenvalues are 1 and λmax = 20. Gradient descent is stable only for "
               "η < 2/λmax = 0.1. Each step multiplies y by 1 − 20η: below 1/λmax = 0.05 y "
               "shrinks keeping its sign, between 0.05 and 0.1 it flips sign every step while "
               "shrinking, above 0.1 it flips and grows.",
         "zh": "碗形曲面 0.5x² + 10y² 沿 y 方向的弯曲程度是 x 方向的 20 倍：海森矩阵的特征值是 1 "
               "和 λmax = 20。只有当 η < 2/λmax = 0.1 时梯度下降才稳定。每一步 y 都乘以 1 − 20η："
               "η 小于 1/λmax = 0.05 时，y 保持符号并逐渐缩小；在 0.05 和 0.1 之间，y 每一步都"
               "变号，但仍在缩小；超过 0.1 时，y 每步变号并且越来越大。"},
        {"en": "The read-out 2/λmax next to each learning rate, and the zig-zag along y.",
         "zh": "每个学习率旁边的 2/λmax 读数，以及沿 y 方向的锯齿形路径。"},
        {"en": "Which of η = 0.001, 0.05, 0.095, 0.11 reach the bottom?",
         "zh": "η = 0.001、0.05、0.095、0.11 中哪些能到达谷底？"},
        {"en": "η = 0.05 and η = 0.095. η = 0.001 is still far after 200 steps (loss above "
               "1); η = 0.095 gets there too while flipping the sign of y every step; "
               "η = 0.11, only 10% above 2/λmax = 0.1, diverges.",
         "zh": "η = 0.05 和 η = 0.095。η = 0.001 在 200 步后仍然很远（损失大于 1）；η = 0.095 "
               "也能到达谷底，但 y 的符号每一步都在翻转；η = 0.11 只比 2/λmax = 0.1 大 10%，"
               "却会发散。"},
        summary={"en": "Four learning rates on one bowl: slow, right, bouncing, diverging.",
                 "zh": "同一个碗上的四个学习率：太慢、合适、来回跳、发散。"},
        facts=("20", "1", "0.1", "10%")),
    Lesson(
        "feature_scaling", "3",
        scene({"dataset": "linear_regression", "options": {"standardize": False}},
              [run("sgd", RAW_START, params={"lr": 0.0148})], 1000),
        {"en": "Feature scaling", "zh": "特征缩放"},
        {"en": "Linear regression on a raw feature in [0, 10]: the loss is far more "
               "sensitive to w than to b (the Hessian's eigenvalues are about 68 and 0.5), "
               "so the contours are long thin ellipses. Gradient descent is stable only "
               "below 2/λmax; at η = 1/λmax = 0.0148 it settles the steep direction at once "
               "but crawls along the valley. Standardizing the feature makes the same data "
               "give a round bowl (both eigenvalues 2).",
         "zh": "在取值 [0, 10] 的原始特征上做线性回归：损失对 w 远比对 b 敏感（海森矩阵的特征值"
               "约为 68 和 0.5），所以等高线是细长的椭圆。梯度下降只在 η 小于 2/λmax 时稳定；"
               "取 η = 1/λmax = 0.0148 时，陡峭的方向一下子就到位了，沿山谷却只能缓慢爬行。"
               "把特征标准化后，同样的数据得到圆形的碗（两个特征值都是 2）。"},
        {"en": "Switch to the standardized feature and compare how many steps each needs.",
         "zh": "切换到标准化的特征，比较两者各需要多少步。"},
        {"en": "How many steps will gradient descent need after standardizing?",
         "zh": "标准化之后，梯度下降需要多少步？"},
        {"en": "One. Raw feature at η = 1/λmax: 387 steps before the loss is within 1% of its "
               "minimum. Standardized, from the same model (the same line, so the same loss) "
               "at η = 1/λmax = 0.5: one step, since on a round bowl a 1/λmax step lands on "
               "the minimum.",
         "zh": "一步。原始特征取 η = 1/λmax：要 387 步损失才降到离最小值 1% 以内。标准化后，从"
               "同一个模型出发（同一条直线，损失相同），取 η = 1/λmax = 0.5：一步就到，因为在"
               "圆形的碗上，1/λmax 的一步正好落在最小值上。"},
        variant={"label": {"en": "Standardize the feature", "zh": "把特征标准化"},
                 "scene": scene({"dataset": "linear_regression",
                                 "options": {"standardize": True}},
                                [run("sgd", STANDARDIZED_START, params={"lr": 0.5})], 1000)},
        summary={"en": "Unscaled features stretch the bowl into a valley; standardizing makes it "
                       "round.",
                 "zh": "未缩放的特征把碗拉成山谷；标准化让它变圆。"},
        facts=("10", "68", "2", "387", "1%")),
    Lesson(
        "mini_batch_noise", "3",
        scene({"dataset": "linear_regression", "options": {"standardize": True}},
              [run("sgd", (3.5, 6.5), params={"lr": 0.05}, batch_size=1),
               run("sgd", (3.5, 6.5), params={"lr": 0.05}, batch_size=16),
               run("sgd", (3.5, 6.5), params={"lr": 0.05})], 300),
        {"en": "Mini-batch noise", "zh": "小批量噪声"},
        {"en": "Each step estimates the gradient from a mini-batch of the 64 samples. With "
               "batch size 1 (stochastic gradient descent) the estimate is noisy and the path "
               "jitters around the minimum; larger batches average the noise away, and the "
               "full batch is plain gradient descent. The seed fixes the batches, so a "
               "replay shows the same paths.",
         "zh": "每一步都用 64 个样本中的一个小批量来估计梯度。批量大小为 1 时（随机梯度下降）"
               "估计的噪声很大，路径在最小值附近抖动；批量越大，噪声被平均掉得越多，而全批量"
               "就是普通的梯度下降。随机种子固定了每一步用哪些样本，所以重放时路径完全相同。"},
        {"en": "The loss curves: smooth for the full batch, ragged for batch size 1.",
         "zh": "损失曲线：全批量时平滑，批量大小为 1 时参差不齐。"},
        {"en": "Which run ends with the lowest full-data loss?",
         "zh": "哪一次运行最终的全数据损失最低？"},
        {"en": "The full batch: it converges to the least-squares minimum. Batch size 1 keeps "
               "bouncing: over its last 50 steps its loss averages more than 5% above the "
               "minimum, batch size 16 within 1% of it (for every seed from 0 to 19).",
         "zh": "全批量：它收敛到最小二乘的最小值。批量大小为 1 时一直在跳动：最后 50 步的平均"
               "损失比最小值高出 5% 以上，批量大小为 16 时则在最小值的 1% 以内（0 到 19 的每个"
               "随机种子都如此）。"},
        summary={"en": "Batch size 1, 16 and the full batch on the same data.",
                 "zh": "在同样的数据上比较批量大小 1、16 和全批量。"},
        facts=("64", "50", "5%", "1%", "19")),
    Lesson(
        "momentum_escapes", "4",
        scene("bumpy_bowl", [run("sgd", (-4.5, 4.0), params={"lr": 0.1}),
                             run("momentum", (-4.5, 4.0), params={"lr": 0.1})], 2000),
        {"en": "Momentum rolls through a shallow minimum", "zh": "动量冲过浅的局部极小值"},
        {"en": "Momentum adds a fraction of the last movement to each step, like a ball "
               "that keeps rolling. Plain gradient descent stops in the first dip it meets; "
               "the ball carries enough speed over the saddle into the deep minimum.",
         "zh": "动量在每一步上加上上一次移动的一部分，就像一个继续滚动的小球。普通的梯度下降停在"
               "遇到的第一个小坑里；小球则带着足够的速度越过鞍点，落入更深的极小值。"},
        {"en": "Where each run stops, and the momentum arrow m in the inspector.",
         "zh": "每次运行停在哪里，以及检查器中的动量箭头 m。"},
        {"en": "Where will momentum stop: in the shallow dip, or in the deep minimum?",
         "zh": "动量会停在哪里：浅坑里，还是更深的极小值里？"},
        {"en": "Gradient descent stays in the shallow minimum near (−1.2, 1.3); momentum "
               "escapes and ends in the global minimum at (2.5, −1).",
         "zh": "梯度下降停在 (−1.2, 1.3) 附近的浅极小值；动量冲了出来，停在 (2.5, −1) 的"
               "全局最小值。"},
        summary={"en": "A ball with momentum rolls out of the dip where gradient descent stops.",
                 "zh": "带动量的小球滚出梯度下降停下的小坑。"},
        facts=("−1.2", "1.3", "2.5", "−1")),
    Lesson(
        "adagrad_vs_rmsprop", "4",
        scene("rosenbrock", [run("adagrad", (-1.5, 2.5), params={"lr": 0.5}),
                             run("rmsprop", (-1.5, 2.5), params={"lr": 0.01})], 1000,
              view="inspector"),
        {"en": "AdaGrad's shrinking steps vs RMSProp's forgetting",
         "zh": "AdaGrad 越来越小的步长与 RMSProp 的遗忘"},
        {"en": "Both divide the step by σ, the size of past gradients per parameter. Why "
               "divide? In one dimension the best step is |f′|/f″, and past gradients stand "
               "in for the curvature f″. Here σ = √(Σg²), as in torch; the notes' "
               "√(Σg²/(t+1)) with η/√(t+1) gives the same step. The sum only grows, so "
               "AdaGrad's steps keep shrinking; RMSProp's moving average lets σ fall again "
               "after the steep start, and its steps recover.",
         "zh": "两者都把步长除以 σ，即每个参数过去梯度的大小。为什么要除？一维时最好的步长是 "
               "|f′|/f″，过去梯度的大小代替了曲率 f″。这里 σ = √(Σg²)（torch 的写法）；"
               "讲义的 √(Σg²/(t+1)) 配 η/√(t+1)，步长相同。"
               "累加和只增不减，所以 AdaGrad 的步长越来越小；"
               "RMSProp 用的是移动平均，陡峭的开头过去后 σ 会重新变小，步长随之恢复。"},
        {"en": "σ in the step inspector for each run.", "zh": "步骤检查器中各次运行的 σ。"},
        {"en": "Which method will be further along the valley after 1,000 steps?",
         "zh": "1000 步后，哪种方法沿山谷走得更远？"},
        {"en": "RMSProp. AdaGrad's σ never decreases and it stalls (loss above 3); RMSProp's "
               "σ drops below its early peak and it gets much further (loss below 0.2). At "
               "every step AdaGrad's step equals the notes' η/√(t+1) divided by the root "
               "mean square.",
         "zh": "RMSProp。AdaGrad 的 σ 从不减小，它停滞不前（损失大于 3）；RMSProp 的 σ 降到"
               "早期峰值以下，它走得远得多（损失小于 0.2）。每一步 AdaGrad 的步长都等于讲义中 "
               "η/√(t+1) 除以均方根得到的步长。"},
        summary={"en": "AdaGrad's σ only grows; RMSProp's moving average forgets.",
                 "zh": "AdaGrad 的 σ 只增不减；RMSProp 的移动平均会遗忘。"},
        facts=("3", "0.2")),
    Lesson(
        "adam_is_rmsprop_plus_momentum", "4",
        scene("rosenbrock", [run("adam", (-1.5, 2.5), params={"lr": 0.05}),
                             run("rmsprop", (-1.5, 2.5), params={"lr": 0.05}),
                             run("momentum", (-1.5, 2.5), params={"lr": 0.0005})], 300,
              view="inspector"),
        {"en": "Adam = RMSProp + momentum", "zh": "Adam = RMSProp + 动量"},
        {"en": "Every adaptive method is θ ← θ − (η/σ)·m: m carries the direction "
               "(momentum), σ the size. Adam's m is the bias-corrected moving average of the "
               "gradients (β₁ = 0.9); its σ is the square root of the bias-corrected moving "
               "average of g² (β₂ = 0.999), plus ε.",
         "zh": "所有自适应方法都可以写成 θ ← θ − (η/σ)·m：m 决定方向（动量），σ 决定大小。"
               "Adam 的 m 是梯度经过偏差修正的移动平均（β₁ = 0.9）；它的 σ 是 g² 经过偏差修正"
               "的移动平均（β₂ = 0.999）的平方根，再加上 ε。"},
        {"en": "m and σ in the inspector, and the rule with the live numbers.",
         "zh": "检查器中的 m 和 σ，以及代入实时数值的更新公式。"},
        {"en": "Is Adam's m the same kind of average as momentum's buffer?",
         "zh": "Adam 的 m 和动量的缓冲是同一种平均吗？"},
        {"en": "No. Momentum's buffer b ← 0.9·b + g is a sum: its weights add up to 10, so on "
               "a steady slope it grows to 10 times the gradient. Adam's m ← 0.9·m + 0.1·g, "
               "divided by 1 − 0.9ᵗ, is an average: its weights add up to 1, so it stays the "
               "size of one gradient.",
         "zh": "不是。动量的缓冲 b ← 0.9·b + g 是一个和：权重之和趋于 10，所以在坡度不变的地方"
               "它会长到梯度的 10 倍。Adam 的 m ← 0.9·m + 0.1·g 再除以 1 − 0.9ᵗ，是一个平均："
               "权重之和恰好为 1，所以它始终与单个梯度同一量级。"},
        summary={"en": "Adam's m and σ in the inspector: momentum for the direction, RMSProp for "
                       "the size.",
                 "zh": "检查器中 Adam 的 m 和 σ：动量决定方向，RMSProp 决定大小。"},
        facts=("0.9", "0.999", "10", "1")),
    Lesson(
        "decay_and_warmup", "5",
        scene("himmelblau", [run("sgd", (0, 0), params={"lr": 0.01}, noise=20.0),
                             run("sgd", (0, 0), params={"lr": 0.01}, noise=20.0,
                                 schedule="exponential", schedule_params={"gamma": 0.99}),
                             run("adam", (2, 2), params={"lr": 2.0}, schedule="cosine",
                                 schedule_params={"T_max": 600}),
                             run("adam", (2, 2), params={"lr": 2.0}, schedule="cosine",
                                 schedule_params=dict(WARMUP))], 600),
        {"en": "Learning-rate decay and warm-up", "zh": "学习率衰减与预热"},
        {"en": "With noisy gradients a constant learning rate keeps the iterate bouncing "
               "around the minimum; shrinking η over time quiets the noise and settles. "
               "Warm-up starts small instead: Adam's σ is a statistic of the gradients seen "
               "so far, unreliable after only a few, so η starts at 5% of its value and "
               "rises over 50 steps, which keeps the first steps from carrying the "
               "parameters far from where they started.",
         "zh": "梯度有噪声时，固定的学习率会让迭代点一直在最小值附近跳动；随时间减小 η 能压住"
               "噪声，让它稳定下来。预热则是一开始用小的学习率：Adam 的 σ 是对已见梯度的统计，"
               "只看了几个梯度时并不可靠，所以 η 从原值的 5% 开始，在 50 步内升上去，这样开头"
               "几步不会把参数带得离起点太远。"},
        {"en": "The small η(t) plot of each run, how the noisy runs settle, and where the "
               "two Adam runs go in their first steps.",
         "zh": "每次运行的 η(t) 小图，带噪声的运行如何稳定下来，以及两个 Adam 运行开头几步"
               "走向哪里。"},
        {"en": "Which noisy run ends closer to a minimum: constant η or decaying η? And where "
               "does Adam end without warm-up?",
         "zh": "哪个带噪声的运行最终更接近最小值：固定 η 还是衰减的 η？没有预热的 Adam 最终"
               "停在哪里？"},
        {"en": "The decaying one: over the last 100 steps its mean loss is under a tenth of "
               "the constant one's (seeds 0 to 19). Without warm-up, Adam's first steps carry "
               "it over the ridge into another minimum, (3.58, −1.85); with warm-up it stays "
               "next to its start, at (3, 2).",
         "zh": "衰减的 η：最后 100 步的平均损失不到固定 η 的十分之一（0 到 19 的每个随机种子"
               "都如此）。没有预热时，Adam 开头几步越过山脊，落入另一个极小值 (3.58, −1.85)；"
               "有预热时，它留在起点旁边的极小值 (3, 2)。"},
        summary={"en": "A shrinking η quiets noisy gradients; warm-up keeps Adam's first steps "
                       "short.",
                 "zh": "逐渐减小的 η 压住有噪声的梯度；预热让 Adam 开头几步走得短。"},
        facts=("5%", "100", "19", "3.58", "−1.85", "3")),
    Lesson(
        "saddle_point", "6",
        scene(SADDLE_FORMULA, [run("sgd", (1.5, 0.0), params={"lr": 0.05}),
                               run("sgd", (1.5, 1e-4), params={"lr": 0.05}),
                               run("newton", (1.5, 1e-4)),
                               run("saddle_free_newton", (1.5, 1e-4))], 500, eigen=True),
        {"en": "Escaping a saddle point", "zh": "逃离鞍点"},
        {"en": "At a saddle the gradient is zero but it is not a minimum: the Hessian has a "
               "negative eigenvalue, and its eigenvector points the way down. Gradient "
               "descent stalls there, Newton's method (H⁻¹g) even jumps into it, and "
               "saddle-free Newton divides by |λ| instead and, where the gradient has "
               "vanished, takes an escape step along the negative eigenvalue's eigenvector.",
         "zh": "在鞍点处梯度为零，但它不是极小值：海森矩阵有一个负特征值，对应的特征向量指向下坡"
               "的方向。梯度下降会在那里停滞，牛顿法（H⁻¹g）甚至会直接跳进去；无鞍牛顿法改为除以 "
               "|λ|，并在梯度消失的地方沿负特征值的特征向量走一个逃逸步。"},
        {"en": "The eigen-arrows at (0, 0): solid black for the positive eigenvalue (along x), "
               "dashed wine-red for the negative one (along y).",
         "zh": "(0, 0) 处的特征向量箭头：黑色实线对应正特征值（沿 x 方向），酒红色虚线对应负"
               "特征值（沿 y 方向）。"},
        {"en": "Started exactly on the ridge line y = 0, where will gradient descent stop?",
         "zh": "从山脊线 y = 0 上出发，梯度下降会停在哪里？"},
        {"en": "At the saddle (0, 0): the gradient has no y part. From y = 0.0001 gradient "
               "descent leaves slowly (|y| × 1.1 a step, 90 steps to get 0.5 away), "
               "then reaches the minimum (0, √2). Newton jumps to the saddle in 2 steps; "
               "saddle-free Newton reaches (0, √2) within 10 steps.",
         "zh": "停在鞍点 (0, 0)：从 y = 0 出发，梯度没有 y 分量。从 y = 0.0001 出发，梯度下降离开"
               "得很慢（|y| 每步乘以 1.1，90 步才离开 0.5），然后到达极小值 (0, √2)。牛顿法 2 步"
               "就跳到鞍点；无鞍牛顿法 10 步内到达 (0, √2)。"},
        summary={"en": "Gradient descent stalls at a saddle; saddle-free Newton walks out.",
                 "zh": "梯度下降在鞍点停滞；无鞍牛顿法走了出来。"},
        facts=("1.1", "90", "0.5", "2", "10")),
    Lesson(
        "classify_critical_points", "6",
        scene("himmelblau", [run("adam", (0.0, 0.0), params={"lr": 0.1})], 300,
              view="critical", eigen=True),
        {"en": "Local minimum, local maximum or saddle?", "zh": "极小值、极大值还是鞍点？"},
        {"en": "At a critical point the gradient vanishes; the Hessian's eigenvalues decide "
               "what it is: both positive, a local minimum; both negative, a local maximum; "
               "one of each, a saddle. If an eigenvalue is 0 the Hessian cannot decide: the "
               "point is degenerate, and the plot marks it so.",
         "zh": "在临界点处梯度为零；海森矩阵的特征值决定它的类型：两个都为正是极小值，两个都为负"
               "是极大值，一正一负是鞍点。如果有一个特征值为 0，海森矩阵无法判断：这个点是退化"
               "的，图上会单独标出。"},
        {"en": "The markers and eigen-arrows at every critical point.",
         "zh": "每个临界点上的标记和特征向量箭头。"},
        {"en": "How many local minima, local maxima and saddles does Himmelblau's function "
               "have?",
         "zh": "Himmelblau 函数有多少个极小值、极大值和鞍点？"},
        {"en": "Four local minima (both eigenvalues positive; all four are also global "
               "minima, with loss 0), one local maximum near (−0.27, −0.92) (both negative) "
               "and four saddles (one of each sign). No eigenvalue is near 0 (the smallest "
               "in size is 14), so every verdict is certain.",
         "zh": "四个极小值（两个特征值都为正；四个都是全局最小值，损失为 0），一个极大值，位于 "
               "(−0.27, −0.92) 附近（两个都为负），以及四个鞍点（一正一负）。没有接近 0 的特征值"
               "（绝对值最小的是 14），所以每个判断都是确定的。"},
        summary={"en": "Himmelblau's nine critical points, told apart by the Hessian's "
                       "eigenvalues.",
                 "zh": "用海森矩阵的特征值区分 Himmelblau 函数的九个临界点。"},
        facts=("−0.27", "−0.92", "14")),
    Lesson(
        "saturation", "7",
        scene(SIGMOID_MSE, [run("sgd", (0.5, 5.5), params={"lr": 0.05})], 300),
        {"en": "A saturated sigmoid learns slowly", "zh": "饱和的 sigmoid 学得很慢"},
        {"en": "A sigmoid neuron whose input w·u + b is large saturates: its output is close "
               "to 1 and its slope σ′ = σ(1 − σ) close to 0, so the gradient vanishes even "
               "though the error is large, and descent crawls across a plateau. σ′ is at "
               "most 1/4, so in a deep network the gradient passed back through each sigmoid "
               "layer is multiplied by at most 1/4 (times the layer's weight): the vanishing "
               "gradient.",
         "zh": "sigmoid 神经元的输入 w·u + b 很大时会饱和：输出接近 1，斜率 σ′ = σ(1 − σ) 接近 "
               "0，所以即使误差很大，梯度也几乎消失，下降在平台上缓慢爬行。σ′ 最大只有 1/4，"
               "所以在深层网络中，梯度每往回经过一层 sigmoid，就要乘以不超过 1/4 的 σ′（再乘以"
               "该层的权重）：这就是梯度消失。"},
        {"en": "The loss curve; then the same neuron from an unsaturated start with the same "
               "loss.",
         "zh": "损失曲线；然后看同一个神经元从不饱和、损失相同的起点出发的情形。"},
        {"en": "Starting at w = 0.5, b = 5.5, how much will the loss fall in 300 steps?",
         "zh": "从 w = 0.5、b = 5.5 出发，300 步内损失会下降多少？"},
        {"en": "Less than 10%: the neuron is saturated. From w = −0.8, b = 0.5, where it is "
               "not saturated and the loss is the same (within 1%), the same 300 steps bring "
               "the loss below 30% of its start.",
         "zh": "不到 10%：这个神经元已经饱和。从 w = −0.8、b = 0.5 出发，神经元没有饱和，"
               "损失相同（相差不到 1%），同样的 300 步就让损失降到起点的 30% 以下。"},
        variant={"label": {"en": "Start unsaturated, with the same loss",
                           "zh": "从不饱和、损失相同的起点出发"},
                 "scene": scene(SIGMOID_MSE, [run("sgd", (-0.8, 0.5), params={"lr": 0.05})],
                                300)},
        summary={"en": "A saturated sigmoid neuron crawls across a plateau; from an unsaturated "
                       "start with the same loss it learns fast.",
                 "zh": "饱和的 sigmoid 神经元在平台上缓慢爬行；从损失相同但不饱和的起点出发，"
                       "它学得很快。"},
        facts=("1", "10%", "1%", "30%")),
    Lesson(
        "basins_of_attraction", "6",
        scene("himmelblau", [run("sgd", (0.0, 0.0), params={"lr": 0.01})], 500,
              view="basins"),
        {"en": "Basins of attraction", "zh": "吸引盆"},
        {"en": "Colour every start point by the minimum gradient descent reaches from it: "
               "the plane splits into basins, with the saddles and the maximum on their "
               "borders. Momentum redraws the map, because it can roll over the borders.",
         "zh": "按照梯度下降从每个起点最终到达的极小值给它上色：平面被分成若干个吸引盆，鞍点和"
               "极大值位于它们的边界上。动量会改变这张图，因为它能滚过边界。"},
        {"en": "Switch the basin map between gradient descent and momentum.",
         "zh": "在梯度下降和动量之间切换吸引盆图。"},
        {"en": "Will momentum's map look like gradient descent's?",
         "zh": "动量的吸引盆图会和梯度下降的一样吗？"},
        {"en": "No. Gradient descent's map has exactly the four local minima as basins; with "
               "momentum 0.9 more than 10% of the starts end in a different minimum.",
         "zh": "不会。梯度下降的图恰好以四个极小值为吸引盆；使用 0.9 的动量时，超过 10% 的"
               "起点最终落入不同的极小值。"},
        variant={"label": {"en": "Show momentum's map", "zh": "显示动量的吸引盆图"},
                 "scene": scene("himmelblau", [run("momentum", (0.0, 0.0),
                                                   params={"lr": 0.01})], 500, view="basins")},
        summary={"en": "Which start ends in which minimum, for gradient descent and for momentum.",
                 "zh": "对梯度下降和动量，每个起点最终落入哪个极小值。"},
        facts=("0.9", "10%")),
]
