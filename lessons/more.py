"""More lessons (same form as lessons/catalog.py); lessons/__init__.py joins both lists.

Each claim is asserted in tests/test_lessons_more.py, and every number the texts state that
is not a scene value is a fact there (FACT_CHECKS). Besides the catalog's scene fields, a
scene here may set taylor=True (draw the quadratic Taylor model) or critical=False (hide the
critical-point markers, hundreds on Rastrigin and Ackley); frontend/js/lib/lessonscene.js
reads both.
"""

from __future__ import annotations

from gradscape.lessons.catalog import (
    SADDLE_FORMULA,
    DatasetSpec,
    Lesson,
    SceneRun,
    Value,
    run,
    scene,
)

SCALE_START = (1.0, 1.0)
DEAD_START = (0.5, -5.0)
SATURATED_START = (0.5, 5.5)
RASTRIGIN_START = (3.2, -2.1)
ACKLEY_START = (3.8, -2.2)
NEURON_OPTIONS: dict[str, Value] = {"samples": 64, "seed": 0}


def _neuron(activation: str) -> DatasetSpec:
    return {"dataset": "single_neuron",
            "options": {**NEURON_OPTIONS, "activation": activation, "loss": "mse"}}


def _three(start: tuple[float, float]) -> list[SceneRun]:
    """Gradient descent, momentum and Adam from one start (the multimodal lesson's racers)."""
    return [run("sgd", start, params={"lr": 0.002}),
            run("momentum", start, params={"lr": 0.002, "momentum": 0.9}),
            run("adam", start, params={"lr": 0.1})]


MORE_LESSONS: list[Lesson] = [
    Lesson(
        "input_scaling", "2",
        scene({"formula": "(x*0.5 + y - 1)^2", "bounds": [-3, 3, -3, 3]},
              [run("sgd", SCALE_START, params={"lr": 0.1})], 50, view="graph"),
        {"en": "Scaling the input scales the weight's gradient",
         "zh": "输入放大多少倍，权重的梯度就放大多少倍"},
        {"en": "One neuron with weight x and bias y sees the input 0.5 and should output 1; "
               "its loss is (x·0.5 + y − 1)². In the graph the multiply gate gives the weight "
               "the input times the gradient from above, so the weight's gradient is "
               "proportional to the input. Multiply the input by 1000 (and divide the weight "
               "by 1000, so the prediction stays the same) and only the weight's gradient "
               "changes.",
         "zh": "一个神经元，权重为 x、偏置为 y，输入是 0.5，目标输出是 1；损失为 "
               "(x·0.5 + y − 1)²。在计算图中，乘法门给权重的梯度是“输入乘以上游梯度”，所以权重的"
               "梯度与输入成正比。把输入乘以 1000（同时把权重除以 1000，使预测值不变），只有权重的"
               "梯度会改变。"},
        {"en": "The gradients under x and y in the graph, before and after multiplying the "
               "input by 1000.",
         "zh": "计算图中 x 和 y 下方的梯度，在输入乘以 1000 之前和之后。"},
        {"en": "The input goes from 0.5 to 500. What happens to the gradient of the weight x, "
               "and to that of the bias y?",
         "zh": "输入从 0.5 变成 500。权重 x 的梯度和偏置 y 的梯度会怎样变化？"},
        {"en": "At (1, 1) the prediction is 1.5, the gradients 0.5 for x and 1 for y. With the "
               "input 500, at (0.001, 1), the prediction is still 1.5 but x's gradient is 500, "
               "1000 times larger; y's stays 1. At η = 0.1 the first run converges, the second "
               "diverges.",
         "zh": "在 (1, 1) 处，预测值为 1.5，x 和 y 的梯度分别为 0.5 和 1。输入为 500 时，在 "
               "(0.001, 1) 处预测值仍是 1.5，x 的梯度却是 500，大了 1000 倍；y 的仍是 1。取 "
               "η = 0.1，第一次运行收敛，第二次第一步就发散。"},
        extras={"point": list(SCALE_START)},
        variant={"label": {"en": "Multiply the input by 1000", "zh": "把输入乘以 1000"},
                 "scene": scene({"formula": "(x*500 + y - 1)^2", "bounds": [-3, 3, -3, 3]},
                                [run("sgd", (0.001, 1.0), params={"lr": 0.1})], 50,
                                view="graph")},
        summary={"en": "Inputs 1000 times larger give the weight a gradient 1000 times larger.",
                 "zh": "输入放大 1000 倍，权重的梯度也放大 1000 倍。"},
        facts=("1.5", "1000")),
    Lesson(
        "momentum_weighted_sum", "4",
        scene("booth", [run("momentum", (-3.0, 7.0), params={"lr": 0.01, "momentum": 0.9})],
              200, view="inspector"),
        {"en": "Momentum is a weighted sum of past gradients", "zh": "动量是过去梯度的加权和"},
        {"en": "Momentum moves by 0.9 times its last movement minus η g. Unroll that rule and "
               "the direction m at step t is g_t + 0.9 g_{t−1} + 0.9² g_{t−2} + …: every past "
               "gradient still counts, with a weight that shrinks by the factor 0.9 per step. "
               "Gradients that agree add up; gradients that flip sign cancel.",
         "zh": "动量每一步的移动等于上一次移动的 0.9 倍减去 η g。把这个规则展开，第 t 步的方向 m "
               "就是 g_t + 0.9 g_{t−1} + 0.9² g_{t−2} + …：过去的每个梯度都还在起作用，只是权重"
               "每过一步乘以 0.9。方向一致的梯度会累加，符号来回翻转的梯度会相互抵消。"},
        {"en": "m in the step inspector, next to the gradient g of the same step.",
         "zh": "步骤检查器中的 m，以及同一步的梯度 g。"},
        {"en": "Does a gradient from 10 steps ago still move the ball, and with what weight?",
         "zh": "10 步之前的梯度还会推动小球吗？权重是多少？"},
        {"en": "Yes. At every step m equals the weighted sum of all recorded gradients, with "
               "weight 0.9ᵏ on the gradient k steps back, to 1e-12; the gradient 10 steps "
               "back still counts with weight about 0.35.",
         "zh": "会。在每一步，m 都等于所有记录下来的梯度的加权和，k 步之前的梯度权重为 0.9ᵏ，"
               "误差小于 1e-12；10 步之前的梯度仍以约 0.35 的权重起作用。"},
        summary={"en": "Momentum's direction, unrolled: every past gradient, weighted by 0.9ᵏ.",
                 "zh": "把动量的方向展开：过去的每个梯度，权重为 0.9ᵏ。"},
        facts=("10", "1e-12", "0.35")),
    Lesson(
        "nesterov_lookahead", "4",
        scene("elongated_bowl",
              [run("momentum", (4.0, 2.0), params={"lr": 0.05, "momentum": 0.9}),
               run("nesterov", (4.0, 2.0), params={"lr": 0.05, "momentum": 0.9})], 300,
              view="inspector"),
        {"en": "Nesterov's look-ahead vs heavy-ball momentum",
         "zh": "Nesterov 的“向前看”与普通动量"},
        {"en": "Heavy-ball momentum steps along its buffer b, the weighted sum of past "
               "gradients. Nesterov's method looks ahead: it uses the gradient where momentum "
               "is about to carry it, so when the ball is about to overshoot, the gradient "
               "there already pulls it back. In the form torch uses, the step direction is "
               "g + 0.9·b instead of b.",
         "zh": "普通（重球）动量沿缓冲 b 前进，b 是过去梯度的加权和。Nesterov 方法会“向前看”："
               "它使用动量即将把它带到的位置上的梯度，所以小球快要冲过头时，那里的梯度已经把它"
               "往回拉。在 torch 采用的写法中，前进方向是 g + 0.9·b，而不是 b。"},
        {"en": "The zig-zag across the narrow y direction and the two loss curves.",
         "zh": "沿狭窄的 y 方向的锯齿形路径，以及两条损失曲线。"},
        {"en": "Which one gets its loss below 1e-6 first: heavy-ball momentum or Nesterov?",
         "zh": "哪一个先把损失降到 1e-6 以下：普通动量还是 Nesterov？"},
        {"en": "Nesterov gets there in fewer steps, and its loss goes up on fewer steps. "
               "At every step its direction m equals g + 0.9·b computed from the recorded "
               "gradients, to 1e-12.",
         "zh": "Nesterov 用的步数更少，而且损失上升的步数也更少。在每一步，它的方向 m "
               "都等于由记录下来的梯度算出的 g + 0.9·b，误差小于 1e-12。"},
        summary={"en": "Looking ahead brakes the overshoot: Nesterov against heavy-ball "
                       "momentum.",
                 "zh": "向前看能刹住冲过头：Nesterov 与普通动量对比。"},
        facts=("1e-6", "1e-12")),
    Lesson(
        "rmsprop_alpha", "4",
        scene("rosenbrock",
              [run("rmsprop", (-1.5, 2.5), params={"lr": 0.01, "alpha": 0.99}),
               run("rmsprop", (-1.5, 2.5), params={"lr": 0.01, "alpha": 0.1})], 500,
              view="inspector"),
        {"en": "RMSProp's α: history or the present", "zh": "RMSProp 的 α：看历史还是看当下"},
        {"en": "RMSProp divides the step by σ, with σ² ← α σ² + (1 − α) g². With α = 0.99, "
               "σ is a long average of past squared gradients, so it remembers the steep "
               "walls it has crossed. With α = 0.1, σ is almost just today's |g|, so the "
               "step η g/σ is about η in each coordinate, whatever the gradient's size.",
         "zh": "RMSProp 把步长除以 σ，其中 σ² ← α σ² + (1 − α) g²。α = 0.99 时，σ 是过去梯度平方"
               "的长期平均，会记住走过的陡峭山壁；α = 0.1 时，σ 几乎就是当前的 |g|，所以无论梯度"
               "多大，每个坐标上的步长 η g/σ 都约等于 η。"},
        {"en": "σ and the step in the inspector for both runs.",
         "zh": "检查器中两次运行的 σ 和步长。"},
        {"en": "How long are the steps compared with η, for α = 0.99 and for α = 0.1?",
         "zh": "α = 0.99 和 α = 0.1 时，步长与 η 相比各有多大？"},
        {"en": "With α = 0.1 no step is longer than 1.06 times η in either coordinate, and the "
               "typical step is almost exactly η. With α = 0.99 the first step is 10 times η "
               "(σ² starts at 0 and holds only 1% of g²); after the steep walls σ remembers "
               "them, and the median step is less than half of η.",
         "zh": "α = 0.1 时，任何一步在每个坐标上都不超过 η 的 1.06 倍，典型的步长几乎恰好是 η。"
               "α = 0.99 时，第一步是 η 的 10 倍（σ² 从 0 开始，只含 g² 的 1%）；走过陡峭的山壁"
               "之后 σ 还记得它们，步长的中位数不到 η 的一半。"},
        summary={"en": "α near one averages the history, α near zero follows the present.",
                 "zh": "α 接近一时平均历史，接近零时只看当下。"},
        facts=("1.06", "10", "1%")),
    Lesson(
        "taylor_saddle_escape", "6",
        scene(SADDLE_FORMULA,
              [run("saddle_free_newton", (1.5, 0.0), params={"escape_step": 0.5}),
               run("sgd", (1.5, 0.0), params={"lr": 0.05})], 300, eigen=True, taylor=True),
        {"en": "The quadratic model at a saddle", "zh": "鞍点处的二次泰勒近似"},
        {"en": "Near a point θ′ the loss is close to its second-order Taylor model "
               "L(θ′) + gᵀ(θ − θ′) + ½(θ − θ′)ᵀH(θ − θ′). At a saddle g = 0, so only the "
               "Hessian term is left: a step u along an eigenvector whose eigenvalue is λ "
               "changes the loss by ½λ‖u‖², a drop when λ < 0.",
         "zh": "在点 θ′ 附近，损失接近它的二阶泰勒近似 L(θ′) + gᵀ(θ − θ′) + ½(θ − θ′)ᵀH(θ − θ′)。"
               "在鞍点处 g = 0，只剩下海森矩阵这一项：沿特征值为 λ 的特征向量走一步 u，"
               "损失的变化是 "
               "½λ‖u‖²，当 λ < 0 时损失下降。"},
        {"en": "The blue arrow (negative eigenvalue) at the saddle (0, 0), and the Taylor "
               "model drawn over the surface around the current point.",
         "zh": "鞍点 (0, 0) 处的蓝色箭头（负特征值），以及画在曲面上、围绕当前点的泰勒近似。"},
        {"en": "Saddle-free Newton reaches the saddle, then steps 0.5 along the blue arrow. "
               "How much will the loss drop?",
         "zh": "无鞍牛顿法先到达鞍点，然后沿蓝色箭头走 0.5。损失会下降多少？"},
        {"en": "Its first step lands on the saddle (0, 0) with loss 0, where the eigenvalues "
               "are 2 and −2. Its second step moves 0.5 along the blue eigenvector and the "
               "loss falls to −0.234, close to the model's ½·(−2)·0.5² = −0.25 (the y⁴ term "
               "the model leaves out makes up the difference). Gradient descent from the same "
               "start, on the line y = 0, stops at the saddle.",
         "zh": "它的第一步落在鞍点 (0, 0)，损失为 0，那里的特征值是 2 和 −2。第二步沿蓝色特征向量"
               "走 0.5，损失降到 −0.234，接近二次模型预测的 ½·(−2)·0.5² = −0.25（差别来自模型"
               "忽略的 y⁴ 项）。梯度下降从同一起点出发，在直线 y = 0 上，停在了鞍点。"},
        summary={"en": "At a saddle the Taylor model predicts the drop ½λ‖u‖² along the "
                       "negative eigenvector.",
                 "zh": "在鞍点处，泰勒近似预测沿负特征方向的损失下降 ½λ‖u‖²。"},
        facts=("−2", "−0.234", "−0.25")),
    Lesson(
        "dead_relu", "7",
        scene(_neuron("relu"), [run("sgd", DEAD_START, params={"lr": 0.1})], 500),
        {"en": "A dead ReLU, and the leaky fix", "zh": "“死亡”的 ReLU 与 leaky ReLU"},
        {"en": "A ReLU neuron outputs max(0, z) with z = w·u + b. Started at b = −5, z is "
               "negative for every one of the 64 points, so every output and every slope is "
               "0: the gradient is exactly zero and gradient descent cannot move. The neuron "
               "is dead. Leaky ReLU keeps a small slope for z < 0, so the same start still "
               "gets a gradient.",
         "zh": "ReLU 神经元输出 max(0, z)，其中 z = w·u + b。从 b = −5 出发时，64 个数据点的 z "
               "全都是负的，所以每个输出和每个斜率都是 0：梯度恰好为零，梯度下降无法移动，"
               "这个神经元“死”了。leaky ReLU 在 z < 0 时保留一个小斜率，"
               "所以同样的起点仍然有梯度。"},
        {"en": "Whether the point moves at all; then switch to leaky ReLU.",
         "zh": "点是否移动；然后切换到 leaky ReLU。"},
        {"en": "Starting at w = 0.5, b = −5, how far will gradient descent get in 500 steps "
               "with ReLU?",
         "zh": "从 w = 0.5、b = −5 出发，使用 ReLU 时梯度下降在 500 步内能走多远？"},
        {"en": "Nowhere: with ReLU the gradient at the start is exactly 0 and the run stops "
               "at step 0. With leaky ReLU (slope 0.01 for z < 0) the gradient is small but "
               "not zero: in 500 steps w grows from 0.5 to above 1 and the loss falls.",
         "zh": "哪儿也去不了：使用 ReLU 时起点的梯度恰好为 0，运行在第 0 步就停止。使用 leaky "
               "ReLU（z < 0 时斜率为 0.01）时梯度虽小但不为零：500 步内 w 从 0.5 增长到 1 以上，"
               "损失随之下降。"},
        variant={"label": {"en": "Switch to leaky ReLU", "zh": "换成 leaky ReLU"},
                 "scene": scene(_neuron("leaky_relu"),
                                [run("sgd", DEAD_START, params={"lr": 0.1})], 500)},
        summary={"en": "A ReLU that is negative on every input has no gradient; leaky ReLU "
                       "revives it.",
                 "zh": "对所有输入都为负的 ReLU 没有梯度；leaky ReLU 让它恢复。"},
        facts=("0.01", "1")),
    Lesson(
        "tanh_saturates", "7",
        scene(_neuron("tanh"), [run("sgd", SATURATED_START, params={"lr": 0.05})], 300),
        {"en": "tanh saturates too", "zh": "tanh 也会饱和"},
        {"en": "tanh squashes z = w·u + b the way a sigmoid does. Its slope 1 − tanh²(z) is "
               "largest, 1, at z = 0 and falls off fast as |z| grows, faster than the "
               "sigmoid's. Started at b = 5.5, z is large on almost every point: the neuron is "
               "saturated and its gradient is almost zero.",
         "zh": "tanh 像 sigmoid 一样压缩 z = w·u + b。它的斜率 1 − tanh²(z) 在 z = 0 处最大，"
               "为 1，随着 |z| 增大而迅速下降，比 sigmoid 的斜率下降得更快。从 b = 5.5 出发时，"
               "几乎所有数据点上的 z 都很大：神经元饱和了，梯度几乎为零。"},
        {"en": "The loss curve; then start from b = 0.5 instead.",
         "zh": "损失曲线；然后改从 b = 0.5 出发。"},
        {"en": "From w = 0.5, b = 5.5, how much will the loss fall in 300 steps?",
         "zh": "从 w = 0.5、b = 5.5 出发，300 步内损失会下降多少？"},
        {"en": "Almost nothing: less than 1% in 300 steps. From b = 0.5, where z is near 0 "
               "and tanh's slope near its largest, the same neuron's loss falls by more than "
               "15%.",
         "zh": "几乎没有：300 步内下降不到 1%。从 b = 0.5 出发时，z 接近 0，tanh 的斜率接近"
               "最大值，同一个神经元的损失下降超过 15%。"},
        variant={"label": {"en": "Start from b = 0.5", "zh": "改从 b = 0.5 出发"},
                 "scene": scene(_neuron("tanh"),
                                [run("sgd", (0.5, 0.5), params={"lr": 0.05})], 300)},
        summary={"en": "tanh's slope vanishes on its flat tails, faster than the sigmoid's.",
                 "zh": "tanh 在两端的平坦处斜率消失，比 sigmoid 消失得更快。"},
        facts=("1", "1%", "15%")),
    Lesson(
        "mse_vs_cross_entropy", "7",
        scene(_neuron("sigmoid"), [run("sgd", SATURATED_START, params={"lr": 0.05})], 300),
        {"en": "MSE vs cross-entropy on a sigmoid", "zh": "sigmoid 上的均方误差与交叉熵"},
        {"en": "The same sigmoid neuron σ(w·u + b) on the same 64 points, trained two ways. "
               "With mean squared error the gradient carries the sigmoid's slope σ′(z), which "
               "is almost 0 where the neuron is saturated. With cross-entropy that slope "
               "cancels: the gradient with respect to z is σ(z) − c, the plain error, so a "
               "neuron that is confidently wrong gets a large gradient.",
         "zh": "同一个 sigmoid 神经元 σ(w·u + b)，同样的 64 个数据点，用两种损失训练。"
               "用均方误差时，梯度中带有 sigmoid 的斜率 σ′(z)，神经元饱和时它几乎为 0。"
               "用交叉熵时这个斜率被抵消："
               "对 z 的梯度就是误差 σ(z) − c 本身，所以一个自信地犯错的神经元会得到很大的梯度。"},
        {"en": "The loss curve; then switch to cross-entropy and compare.",
         "zh": "损失曲线；然后切换到交叉熵进行比较。"},
        {"en": "From the saturated start w = 0.5, b = 5.5, which loss lets gradient descent "
               "learn: mean squared error or cross-entropy?",
         "zh": "从饱和的起点 w = 0.5、b = 5.5 出发，哪种损失能让梯度下降学起来：均方误差还是"
               "交叉熵？"},
        {"en": "Cross-entropy. At the start its gradient is more than 30 times larger than "
               "the squared error's; in 300 steps the squared error improves by less than "
               "10%, while cross-entropy falls by more than 75%.",
         "zh": "交叉熵。在起点，它的梯度是均方误差梯度的 30 倍以上；300 步内均方误差的改善不到 "
               "10%，而交叉熵下降了 75% 以上。"},
        variant={"label": {"en": "Train with cross-entropy", "zh": "改用交叉熵训练"},
                 "scene": scene({"dataset": "logistic_regression",
                                 "options": dict(NEURON_OPTIONS)},
                                [run("sgd", SATURATED_START, params={"lr": 0.05})], 300)},
        summary={"en": "Cross-entropy cancels the sigmoid's flat slope; squared error does not.",
                 "zh": "交叉熵抵消了 sigmoid 平坦的斜率；均方误差不能。"},
        facts=("30", "10%", "75%")),
    Lesson(
        "many_local_minima", "8",
        scene("rastrigin", _three(RASTRIGIN_START), 500, critical=False),
        {"en": "Rastrigin and Ackley: a local minimum everywhere",
         "zh": "Rastrigin 与 Ackley：到处都是局部极小值"},
        {"en": "Rastrigin puts an egg-crate of cosines on a bowl, Ackley a field of small "
               "dimples around one deep funnel: both have a local minimum near every integer "
               "point and the global minimum 0 at the origin. Every method here only looks "
               "at the slope where it stands.",
         "zh": "Rastrigin 在一个大碗上叠加了一层余弦“蛋托”，Ackley 则在一个深漏斗周围布满小坑："
               "两者在几乎每个整数点附近都有一个局部极小值，全局最小值 0 在原点。这里的每种方法都"
               "只看脚下的坡度。"},
        {"en": "Where the three runs stop, and the loss they stop at.",
         "zh": "三次运行停在哪里，以及停下时的损失。"},
        {"en": "Gradient descent, momentum and Adam start in the same dimple. Will any of "
               "them reach the global minimum?",
         "zh": "梯度下降、动量和 Adam 从同一个小坑出发。它们中有谁能到达全局最小值吗？"},
        {"en": "No: all three stop in one local minimum, with loss above 12 on Rastrigin and "
               "above 9 on Ackley.",
         "zh": "没有。在 Rastrigin 上，三者都停在出发时所在的小坑里，损失高于 12；在 Ackley 上，"
               "它们也一起停在同一个局部极小值，损失高于 9。"},
        variant={"label": {"en": "The same three on Ackley", "zh": "同样三种方法在 Ackley 上"},
                 "scene": scene("ackley", _three(ACKLEY_START), 500, critical=False)},
        summary={"en": "Two classic test surfaces where every local method stops in the "
                       "nearest dimple.",
                 "zh": "两个经典测试曲面：每种局部方法都停在最近的小坑里。"},
        facts=("12", "9")),
    Lesson(
        "typed_formula", "8",
        scene({"formula": "x^4 + y^4 - 4*x*y", "bounds": [-2, 2, -2, 2]},
              [run("sgd", (1.5, 0.5), params={"lr": 0.05}),
               run("sgd", (-1.5, -0.5), params={"lr": 0.05}),
               run("sgd", (0.0, 0.0), params={"lr": 0.05})], 200, view="critical",
              eigen=True),
        {"en": "A surface the class types", "zh": "全班一起输入的曲面"},
        {"en": "Any formula in x and y can be typed into the surface box: the playground "
               "parses it (it never runs it as code), differentiates it exactly and finds "
               "its critical points. Here the class typed x^4 + y^4 − 4*x*y.",
         "zh": "任何关于 x 和 y 的公式都可以输入到曲面框中：程序会解析它（绝不把它当作代码执行），"
               "精确求导，并找出所有临界点。这里全班输入的是 x^4 + y^4 − 4*x*y。"},
        {"en": "The critical-point markers, and where each of the three runs stops.",
         "zh": "临界点标记，以及三次运行各自停在哪里。"},
        {"en": "How many minima does this surface have, and where will the run started at "
               "(0, 0) go?",
         "zh": "这个曲面有几个极小值？从 (0, 0) 出发的运行会去哪里？"},
        {"en": "Two minima, at (1, 1) and (−1, −1), both with loss −2, and a saddle at "
               "(0, 0) between them. The runs from (1.5, 0.5) and (−1.5, −0.5) each reach "
               "the minimum on their side; the run started at the saddle never moves, "
               "because the gradient there is 0.",
         "zh": "两个极小值，分别在 (1, 1) 和 (−1, −1)，损失都是 −2，它们之间的 (0, 0) 是一个鞍点。"
               "从 (1.5, 0.5) 和 (−1.5, −0.5) 出发的运行各自到达自己一侧的极小值；从鞍点出发的"
               "运行一动不动，因为那里的梯度是 0。"},
        summary={"en": "Type a formula: exact gradients, critical points and races on it.",
                 "zh": "输入一个公式：在它上面得到精确梯度、临界点和比赛。"},
        facts=("1", "−1", "−2")),
]
