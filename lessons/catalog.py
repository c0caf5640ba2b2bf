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
from typing import Any

Text = dict[str, str]  # {"en": ..., "zh": ...}


@dataclass(frozen=True)
class Lesson:
    id: str
    concept: str  # the CONCEPTS.md section it teaches
    scene: dict[str, Any]
    title: Text
    explanation: Text
    watch: Text
    predict: Text
    claim: Text  # what happens, in words; asserted by tests/test_lessons.py
    extras: dict[str, Any] = field(default_factory=dict)
    summary: Text = field(default_factory=dict)  # one line for the gallery and the index
    # The "after" a claim also speaks of (standardized, ReLU, momentum's map): a second scene
    # the panel offers once the answer is shown, {"label": Text, "scene": ...}; tested too.
    variant: dict[str, Any] = field(default_factory=dict)
    # Every number the texts state that is not a value of the scene itself (a loss bound, a
    # step count, a ratio): each is asserted against the scene by a check in the lesson tests,
    # and the authoring test fails on a number in the text that is neither here nor in the scene.
    facts: tuple[str, ...] = ()


def run(optimizer: str, start: tuple[float, float], **extra: Any) -> dict[str, Any]:
    """One contestant of a scene; `params` and the other RunSpec fields go in `extra`."""
    return {"optimizer": optimizer, "start": list(start), "params": extra.pop("params", {}),
            **extra}


def scene(surface: Any, runs: list[dict[str, Any]], steps: int, *, seed: int = 0,
          view: str = "contour", **extra: Any) -> dict[str, Any]:
    return {"surface": surface, "runs": runs, "steps": steps, "seed": seed, "view": view,
            **extra}


SADDLE_FORMULA = {"formula": "x^2 - y^2 + 0.25*y^4", "bounds": [-2.0, 2.0, -2.5, 2.5]}
LR_STARTS = (4.0, 2.0)

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
        {"en": "How many steps each one wastes, and how close each gets in 100 steps.",
         "zh": "每种方法浪费了多少步，100 步内各自离最小值有多近。"},
        {"en": "After 100 steps, which of the three is closest to the minimum?",
         "zh": "100 步之后，三者中哪一个离最小值最近？"},
        {"en": "Gradient descent reaches the minimum (loss below 1e-6); random local search "
               "gets close (loss below 0.1); random search stays far (loss above 1).",
         "zh": "梯度下降到达最小值（损失低于 1e-6）；随机局部搜索接近（损失低于 0.1）；"
               "随机搜索仍然很远（损失高于 1）。"},
        summary={"en": "Random search, random local search and gradient descent race from one "
                       "start.",
                 "zh": "随机搜索、随机局部搜索和梯度下降从同一个起点出发比赛。"}),
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
        {"en": "How large will the relative error be: 1e-2, 1e-5 or 1e-9?",
         "zh": "相对误差会有多大：1e-2、1e-5 还是 1e-9？"},
        {"en": "With the correct rules the relative error stays below 1e-7 at every step; "
               "with sin's derivative written as sin instead of cos it exceeds 1e-2.",
         "zh": "规则正确时，每一步的相对误差都低于 1e-7；如果把 sin 的导数错写成 sin"
               "（应为 cos），误差超过 1e-2。"},
        extras={"point": [1.0, 2.0]},
        summary={"en": "The gradient check: backprop's exact gradient against centred differences.",
                 "zh": "梯度检查：反向传播的精确梯度与中心差分对比。"}),
    Lesson(
        "backprop_gates", "2",
        scene({"formula": "max(x, y) + x*y + x", "bounds": [-4, 4, -4, 4]},
              [run("sgd", (3.0, 2.0), params={"lr": 0.01})], 1, view="graph"),
        {"en": "Backprop through gates", "zh": "穿过门的反向传播"},
        {"en": "The graph view shows each gate with its forward value and its gradient. "
               "An add gate hands its gradient to both inputs, a max gate routes all of it "
               "to the larger input, a multiply gate gives each input the other input "
               "times the gradient, and x, used three times, collects the sum.",
         "zh": "计算图视图显示每个门的前向值和梯度。加法门把梯度原样传给两个输入，max 门把梯度"
               "全部送给较大的输入，乘法门给每个输入“另一个输入乘以梯度”，而被使用了三次的 x "
               "收集三者之和。"},
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
                 "zh": "加法门、max 门和乘法门如何回传梯度，以及多处使用的变量为何求和。"}),
    Lesson(
        "learning_rate", "3",
        scene("elongated_bowl", [run("sgd", LR_STARTS, params={"lr": 0.001}),
                                 run("sgd", LR_STARTS, params={"lr": 0.05}),
                                 run("sgd", LR_STARTS, params={"lr": 0.095}),
                                 run("sgd", LR_STARTS, params={"lr": 0.11})], 200,
              eigen=True),
        {"en": "Learning rate: too small, right, too large, far too large",
         "zh": "学习率：太小、合适、太大、远远太大"},
        {"en": "The bowl 0.5x² + 10y² curves 20 times more along y than along x. Gradient "
               "descent is stable only for η < 2/λmax = 0.1: below that it converges, near "
               "it it bounces across the valley, above it every step overshoots further.",
         "zh": "碗形曲面 0.5x² + 10y² 沿 y 方向的弯曲程度是 x 方向的 20 倍。只有当 "
               "η < 2/λmax = 0.1 时梯度下降才稳定：低于它会收敛，接近它会在山谷两侧来回跳，"
               "超过它每一步都冲得更远。"},
        {"en": "The read-out 2/λmax next to each learning rate, and the zig-zag along y.",
         "zh": "每个学习率旁边的 2/λmax 读数，以及沿 y 方向的锯齿形路径。"},
        {"en": "Which of η = 0.001, 0.05, 0.095, 0.11 reaches the bottom?",
         "zh": "η = 0.001、0.05、0.095、0.11 中哪些能到达谷底？"},
        {"en": "η = 0.001 is still far after 200 steps (loss above 1); η = 0.05 reaches the "
               "bottom; η = 0.095 gets there while flipping the sign of y every step; "
               "η = 0.11 diverges.",
         "zh": "η = 0.001 在 200 步后仍然很远（损失大于 1）；η = 0.05 到达谷底；η = 0.095 "
               "也能到达，但每一步 y 的符号都在翻转；η = 0.11 发散。"},
        summary={"en": "Four learning rates on one bowl: slow, right, bouncing, diverging.",
                 "zh": "同一个碗上的四个学习率：太慢、合适、来回跳、发散。"}),
    Lesson(
        "feature_scaling", "3",
        scene({"dataset": "linear_regression", "options": {"standardize": False}},
              [run("sgd", (-1.2, 2.3), params={"lr": 0.0148})], 2000),
        {"en": "Feature scaling", "zh": "特征缩放"},
        {"en": "Linear regression on a raw feature in [0, 10]: the loss is far more "
               "sensitive to w than to b, so the contours are long thin ellipses and "
               "gradient descent (at the largest stable rate 1/λmax) crawls along the "
               "valley. Standardizing the feature makes the same data give a round bowl.",
         "zh": "在取值 [0, 10] 的原始特征上做线性回归：损失对 w 远比对 b 敏感，所以等高线是"
               "细长的椭圆，梯度下降（即使用最大的稳定学习率 1/λmax）也只能沿山谷缓慢爬行。"
               "把特征标准化后，同样的数据得到圆形的碗。"},
        {"en": "Toggle 'standardize' and compare how many steps each needs.",
         "zh": "切换“标准化”，比较两者各需要多少步。"},
        {"en": "How many steps will gradient descent need after standardizing?",
         "zh": "标准化之后，梯度下降需要多少步？"},
        {"en": "Raw features: not converged after 2,000 steps. Standardized (same data, "
               "η = 1/λmax = 0.5): converged within 5 steps.",
         "zh": "原始特征：2000 步后仍未收敛。标准化后（同样的数据，η = 1/λmax = 0.5）："
               "5 步以内收敛。"},
        variant={"label": {"en": "Standardize the feature", "zh": "把特征标准化"},
                 "scene": scene({"dataset": "linear_regression",
                                 "options": {"standardize": True}},
                                [run("sgd", (3.5, 11.3), params={"lr": 0.5})], 2000)},
        summary={"en": "Unscaled features stretch the bowl into a valley; standardizing makes it "
                       "round.",
                 "zh": "未缩放的特征把碗拉成山谷；标准化让它变圆。"}),
    Lesson(
        "mini_batch_noise", "3",
        scene({"dataset": "linear_regression", "options": {"standardize": True}},
              [run("sgd", (3.5, 6.5), params={"lr": 0.05}, batch_size=1),
               run("sgd", (3.5, 6.5), params={"lr": 0.05}, batch_size=16),
               run("sgd", (3.5, 6.5), params={"lr": 0.05})], 300),
        {"en": "Mini-batch noise", "zh": "小批量噪声"},
        {"en": "Each step estimates the gradient from a mini-batch of the 64 samples. With "
               "batch size 1 (SGD) the estimate is noisy and the path jitters around the "
               "minimum; larger batches average the noise away. Same seed, same batches.",
         "zh": "每一步都用 64 个样本中的一个小批量来估计梯度。批量大小为 1（SGD）时估计噪声很大，"
               "路径在最小值附近抖动；更大的批量把噪声平均掉。相同的随机种子给出相同的批次。"},
        {"en": "The loss curves: smooth for the full batch, ragged for batch size 1.",
         "zh": "损失曲线：全批量时平滑，批量为 1 时参差不齐。"},
        {"en": "Which run ends with the lowest full-data loss?",
         "zh": "哪一次运行最终的全数据损失最低？"},
        {"en": "Full batch converges to the least-squares minimum; batch size 1 keeps "
               "bouncing (its loss goes up on many steps and its last 50 steps average "
               "above the minimum by more than 5%).",
         "zh": "全批量收敛到最小二乘最小值；批量为 1 时一直在跳动（许多步损失上升，"
               "最后 50 步的平均损失比最小值高出 5% 以上）。"},
        summary={"en": "Batch size 1, 16 and the full batch on the same data and seed.",
                 "zh": "在同样的数据和随机种子下比较批量大小 1、16 和全批量。"}),
    Lesson(
        "momentum_escapes", "4",
        scene("bumpy_bowl", [run("sgd", (-4.5, 4.0), params={"lr": 0.1}),
                             run("momentum", (-4.5, 4.0), params={"lr": 0.1})], 2000),
        {"en": "Momentum rolls through a shallow minimum", "zh": "动量冲过浅的局部最小值"},
        {"en": "Momentum adds a fraction of the last movement to each step, like a ball "
               "that keeps rolling. Plain gradient descent stops in the first dip it meets; "
               "the ball carries enough speed over the saddle into the deep minimum.",
         "zh": "动量在每一步上加上上一次移动的一部分，就像一个继续滚动的小球。普通的梯度下降停在"
               "遇到的第一个小坑里；小球则带着足够的速度越过鞍点，落入更深的最小值。"},
        {"en": "Where each run stops, and the momentum arrow m in the inspector.",
         "zh": "每次运行停在哪里，以及检查器中的动量箭头 m。"},
        {"en": "Where will momentum stop: in the shallow dip, or in the deep minimum?",
         "zh": "动量会停在哪里：浅坑里，还是深的最小值？"},
        {"en": "Gradient descent stays in the shallow minimum near (−1.2, 1.3); momentum "
               "escapes and ends in the global minimum at (2.5, −1).",
         "zh": "梯度下降停在 (−1.2, 1.3) 附近的浅最小值；动量逃了出来，停在 (2.5, −1) 的"
               "全局最小值。"},
        summary={"en": "A ball with momentum rolls out of the dip where gradient descent stops.",
                 "zh": "带动量的小球滚出梯度下降停下的小坑。"}),
    Lesson(
        "adagrad_vs_rmsprop", "4",
        scene("rosenbrock", [run("adagrad", (-1.5, 2.5), params={"lr": 0.5}),
                             run("rmsprop", (-1.5, 2.5), params={"lr": 0.01})], 1000,
              view="inspector"),
        {"en": "AdaGrad's shrinking steps vs RMSProp's forgetting",
         "zh": "AdaGrad 越来越小的步长与 RMSProp 的遗忘"},
        {"en": "Both divide the step by σ, a per-parameter size of past gradients. AdaGrad "
               "sums every squared gradient ever seen, so σ only grows and steps keep "
               "shrinking; RMSProp keeps a moving average, so once the steep start is "
               "behind it σ falls again and the steps recover.",
         "zh": "两者都把步长除以 σ，即每个参数过去梯度的大小。AdaGrad 把见过的所有梯度平方"
               "都加起来，所以 σ 只增不减，步长越来越小；RMSProp 用的是移动平均，陡峭的开头过去后"
               "σ 会重新变小，步长随之恢复。"},
        {"en": "σ in the step inspector for each run.", "zh": "步骤检查器中各次运行的 σ。"},
        {"en": "Which method will be further along the valley after 1,000 steps?",
         "zh": "1000 步后，哪种方法沿山谷走得更远？"},
        {"en": "AdaGrad's σ never decreases and it stalls (loss above 1); RMSProp's σ "
               "drops below its early peak and it gets much further (loss below 0.1).",
         "zh": "AdaGrad 的 σ 从不减小，它停滞不前（损失大于 1）；RMSProp 的 σ 降到早期峰值"
               "以下，它走得远得多（损失小于 0.1）。"},
        summary={"en": "AdaGrad's σ only grows; RMSProp's moving average forgets.",
                 "zh": "AdaGrad 的 σ 只增不减；RMSProp 的移动平均会遗忘。"}),
    Lesson(
        "adam_is_rmsprop_plus_momentum", "4",
        scene("rosenbrock", [run("adam", (-1.5, 2.5), params={"lr": 0.05}),
                             run("rmsprop", (-1.5, 2.5), params={"lr": 0.05}),
                             run("momentum", (-1.5, 2.5), params={"lr": 0.0005})], 300,
              view="inspector"),
        {"en": "Adam = RMSProp + momentum", "zh": "Adam = RMSProp + 动量"},
        {"en": "Every adaptive method is θ ← θ − (η/σ)·m: m carries the direction "
               "(momentum), σ only the size (squared gradients). Adam's m is the "
               "bias-corrected moving average of the gradients, its σ that of their squares.",
         "zh": "所有自适应方法都可以写成 θ ← θ − (η/σ)·m：m 决定方向（动量），σ 只决定大小"
               "（梯度的平方）。Adam 的 m 是梯度经过偏差修正的移动平均，σ 则是梯度平方的。"},
        {"en": "m and σ in the inspector, and the rule with the live numbers.",
         "zh": "检查器中的 m 和 σ，以及代入实时数值的更新公式。"},
        {"en": "Is Adam's m the same kind of average as momentum's buffer?",
         "zh": "Adam 的 m 和动量的缓冲是同一种平均吗？"},
        {"en": "At every step, Adam's m equals the bias-corrected average of the recorded "
               "gradients with β₁ = 0.9, and σ equals √(bias-corrected average of g²) + ε "
               "with β₂ = 0.999, to 1e-12.",
         "zh": "在每一步，Adam 的 m 都等于所记录梯度以 β₁ = 0.9 做偏差修正后的平均，σ 等于 g² "
               "以 β₂ = 0.999 做偏差修正后平均的平方根加 ε，误差小于 1e-12。"},
        summary={"en": "Adam's m and σ in the inspector: momentum for the direction, RMSProp for "
                       "the size.",
                 "zh": "检查器中 Adam 的 m 和 σ：动量决定方向，RMSProp 决定大小。"}),
    Lesson(
        "decay_and_warmup", "5",
        scene("himmelblau", [run("sgd", (0, 0), params={"lr": 0.01}, noise=20.0),
                             run("sgd", (0, 0), params={"lr": 0.01}, noise=20.0,
                                 schedule="exponential", schedule_params={"gamma": 0.99}),
                             run("adam", (0, 0), params={"lr": 0.3}, schedule="cosine",
                                 schedule_params={"T_max": 600, "warmup_steps": 50,
                                                  "warmup_start_factor": 0.05})], 600),
        {"en": "Learning-rate decay and warm-up", "zh": "学习率衰减与预热"},
        {"en": "With noisy gradients a constant learning rate keeps the iterate bouncing at "
               "a noise floor; shrinking η over time quiets the noise and settles. Warm-up "
               "starts small because σ and m need a few steps before they can be trusted.",
         "zh": "梯度有噪声时，固定的学习率会让迭代点一直在噪声底部附近跳动；随时间减小 η 能"
               "压住噪声并稳定下来。预热从小的学习率开始，因为 σ 和 m 需要几步之后才可信。"},
        {"en": "The small η(t) plot of each run, and how the noisy runs settle.",
         "zh": "每次运行的 η(t) 小图，以及带噪声的运行如何稳定下来。"},
        {"en": "Which noisy run ends closer to a minimum: constant η or decaying η?",
         "zh": "哪个带噪声的运行最终更接近最小值：固定 η 还是衰减的 η？"},
        {"en": "Over the last 100 steps the decayed run's average loss is at least 10 times "
               "lower than the constant one's; the warm-up run's η rises for 50 steps, then "
               "decays.",
         "zh": "在最后 100 步中，衰减学习率的平均损失至少比固定学习率低 10 倍；预热的运行中 η "
               "先上升 50 步，然后衰减。"},
        summary={"en": "A shrinking η quiets noisy gradients; warm-up starts small.",
                 "zh": "逐渐减小的 η 压住有噪声的梯度；预热从小的学习率开始。"}),
    Lesson(
        "saddle_point", "6",
        scene(SADDLE_FORMULA, [run("sgd", (1.5, 0.0), params={"lr": 0.05}),
                               run("sgd", (1.5, 1e-4), params={"lr": 0.05}),
                               run("newton", (1.5, 1e-4)),
                               run("saddle_free_newton", (1.5, 0.0))], 500, eigen=True),
        {"en": "Escaping a saddle point", "zh": "逃离鞍点"},
        {"en": "At a saddle the gradient is zero but it is not a minimum: the Hessian has a "
               "negative eigenvalue, and its eigenvector points the way down. Gradient "
               "descent stalls there, Newton's method even jumps into it, and saddle-free "
               "Newton, which uses |λ|, walks out along the negative direction.",
         "zh": "在鞍点处梯度为零，但它不是最小值：海森矩阵有一个负特征值，对应的特征向量指向下坡"
               "的方向。梯度下降会在那里停滞，牛顿法甚至会直接跳进去，而使用 |λ| 的无鞍牛顿法"
               "会沿负曲率方向走出来。"},
        {"en": "The eigen-arrows at (0, 0): one positive (red), one negative (blue).",
         "zh": "(0, 0) 处的特征方向箭头：一个为正（红色），一个为负（蓝色）。"},
        {"en": "Started exactly on the ridge line y = 0, where will gradient descent stop?",
         "zh": "从山脊线 y = 0 上出发，梯度下降会停在哪里？"},
        {"en": "From y = 0, gradient descent converges to the saddle (0, 0); from "
               "y = 0.0001 it spends over 50 steps with a gradient below 0.05 before "
               "leaving; Newton goes to the saddle; saddle-free Newton reaches the minimum "
               "(0, √2) within 15 steps.",
         "zh": "从 y = 0 出发，梯度下降收敛到鞍点 (0, 0)；从 y = 0.0001 出发，它有 50 多步的"
               "梯度小于 0.05，之后才离开；牛顿法走向鞍点；无鞍牛顿法在 15 步内到达最小值 "
               "(0, √2)。"},
        summary={"en": "Gradient descent stalls at a saddle; saddle-free Newton walks out.",
                 "zh": "梯度下降在鞍点停滞；无鞍牛顿法走了出来。"}),
    Lesson(
        "classify_critical_points", "6",
        scene("himmelblau", [run("adam", (0.0, 0.0), params={"lr": 0.1})], 300,
              view="critical", eigen=True),
        {"en": "Minimum, maximum or saddle?", "zh": "最小值、最大值还是鞍点？"},
        {"en": "At a critical point the gradient vanishes; the Hessian's eigenvalues decide "
               "what it is: both positive, a minimum; both negative, a maximum; one of each, "
               "a saddle.",
         "zh": "在临界点处梯度为零；海森矩阵的特征值决定它的类型：两个都为正是最小值，两个都为负"
               "是最大值，一正一负是鞍点。"},
        {"en": "The markers and eigen-arrows at every critical point.",
         "zh": "每个临界点上的标记和特征方向箭头。"},
        {"en": "How many minima, maxima and saddles does Himmelblau's function have?",
         "zh": "Himmelblau 函数有多少个最小值、最大值和鞍点？"},
        {"en": "Four minima (both eigenvalues positive), one maximum near (−0.27, −0.92) "
               "(both negative) and four saddles (one of each sign).",
         "zh": "四个最小值（两个特征值都为正），一个最大值，位于 (−0.27, −0.92) 附近"
               "（两个都为负），以及四个鞍点（一正一负）。"},
        summary={"en": "Himmelblau's nine critical points, told apart by the Hessian's "
                       "eigenvalues.",
                 "zh": "用海森矩阵的特征值区分 Himmelblau 函数的九个临界点。"}),
    Lesson(
        "saturation", "7",
        scene({"dataset": "single_neuron", "options": {"activation": "sigmoid",
                                                       "loss": "mse"}},
              [run("sgd", (0.5, 5.5), params={"lr": 0.05})], 300),
        {"en": "Saturated sigmoid vs ReLU", "zh": "饱和的 sigmoid 与 ReLU"},
        {"en": "A sigmoid neuron with a large input outputs almost exactly 1 and its slope "
               "is almost 0: the gradient vanishes and descent crawls across a plateau. A "
               "ReLU's slope is 1 for every positive input, so the same start moves at once.",
         "zh": "sigmoid 神经元在输入很大时输出几乎恰好为 1，斜率几乎为 0：梯度消失，下降在平台上"
               "缓慢爬行。ReLU 对所有正输入的斜率都是 1，所以同样的起点会立刻开始移动。"},
        {"en": "Switch the activation to relu and compare the loss curves.",
         "zh": "把激活函数切换为 relu，比较两条损失曲线。"},
        {"en": "Starting at w = 0.5, b = 5.5, which activation learns faster?",
         "zh": "从 w = 0.5、b = 5.5 出发，哪种激活函数学得更快？"},
        {"en": "With sigmoid the loss improves by less than 5% in 300 steps; with ReLU, from "
               "the same start, it converges below 0.15.",
         "zh": "使用 sigmoid 时，300 步内损失的改善不到 5%；使用 ReLU 时，从同一起点出发，"
               "损失收敛到 0.15 以下。"},
        variant={"label": {"en": "Switch the activation to ReLU", "zh": "把激活函数换成 ReLU"},
                 "scene": scene({"dataset": "single_neuron",
                                 "options": {"activation": "relu", "loss": "mse"}},
                                [run("sgd", (0.5, 5.5), params={"lr": 0.05})], 300)},
        summary={"en": "A saturated sigmoid neuron crawls across a plateau; ReLU moves at once.",
                 "zh": "饱和的 sigmoid 神经元在平台上缓慢爬行；ReLU 立刻开始移动。"}),
    Lesson(
        "basins_of_attraction", "6",
        scene("himmelblau", [run("sgd", (0.0, 0.0), params={"lr": 0.01})], 500,
              view="basins"),
        {"en": "Basins of attraction", "zh": "吸引盆"},
        {"en": "Colour every start point by the minimum gradient descent reaches from it: "
               "the plane splits into basins, with the saddles and the maximum on their "
               "borders. Momentum redraws the map, because it can roll over the borders.",
         "zh": "按照梯度下降从每个起点最终到达的最小值给它上色：平面被分成若干个吸引盆，鞍点和"
               "最大值位于它们的边界上。动量会改变这张图，因为它能滚过边界。"},
        {"en": "Switch the basin map between SGD and momentum.",
         "zh": "在 SGD 和动量之间切换吸引盆图。"},
        {"en": "Will momentum's map look like gradient descent's?",
         "zh": "动量的吸引盆图会和梯度下降的一样吗？"},
        {"en": "Gradient descent's map has exactly the four minima as basins; with momentum "
               "0.9 more than 10% of the starts end in a different minimum.",
         "zh": "梯度下降的图恰好以四个最小值为吸引盆；使用 0.9 的动量时，超过 10% 的起点"
               "最终落入不同的最小值。"},
        variant={"label": {"en": "Show momentum's map", "zh": "显示动量的吸引盆图"},
                 "scene": scene("himmelblau", [run("momentum", (0.0, 0.0),
                                                   params={"lr": 0.01})], 500, view="basins")},
        summary={"en": "Which start ends in which minimum, for gradient descent and for momentum.",
                 "zh": "对梯度下降和动量，每个起点最终落入哪个最小值。"}),
]
