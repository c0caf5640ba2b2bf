"""The registry of named surfaces: each one a formula, its bounds and what it teaches.

Like botorch's test_functions, a surface is one small entry: the formula (text the formula
parser reads, so adding a surface is adding an entry), plot bounds that show its structure,
its known critical points and optimal value, a suggested start, and a teaching note in
English and Simplified Chinese.

Known critical points are exact or computed to full double precision offline (polynomial
surfaces: a lex Groebner basis plus 40-digit root polishing in sympy/mpmath; the teaching
surface: 50-digit mpmath Newton from a dense grid), then checked against the engine by
tests/test_surfaces.py. They are a test oracle for `core.critical`, never its input.
`complete` says whether the list holds every stationary point inside the bounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from gradscape.core.critical import Kind
from gradscape.core.surface import Bounds, Surface, check_bounds

SurfaceKind = Literal["convex", "saddle", "valley", "multimodal"]


@dataclass(frozen=True)
class KnownPoint:
    """A known critical point. `smooth=False` marks a minimum at a kink (no gradient there)."""

    point: tuple[float, float]
    kind: Kind
    value: float
    smooth: bool = True


@dataclass(frozen=True)
class SurfaceSpec:
    id: str
    name: str
    formula: str
    bounds: Bounds
    kind: SurfaceKind
    critical_points: tuple[KnownPoint, ...]
    complete: bool  # critical_points lists every stationary point inside the bounds
    global_minimum: float | None  # min of f over the whole plane; None: unbounded below
    start: tuple[float, float]  # a starting point that shows the lesson
    description: dict[str, str]  # "en" and "zh": what a student should notice


def _p(x: float, y: float, kind: Kind, value: float, smooth: bool = True) -> KnownPoint:
    return KnownPoint((x, y), kind, value, smooth)


_SPECS: list[SurfaceSpec] = [
    SurfaceSpec(
        id="bowl", name="Round bowl", formula="x^2 + y^2", bounds=(-3.0, 3.0, -3.0, 3.0),
        kind="convex", critical_points=(_p(0.0, 0.0, "minimum", 0.0),), complete=True,
        global_minimum=0.0, start=(-2.5, 2.0),
        description={
            "en": "The friendliest surface: convex, one minimum at the origin, and the gradient "
                  "2θ points straight away from it, so gradient descent walks straight in. The "
                  "Hessian is 2I, the same curvature in every direction. Each step multiplies θ "
                  "by (1 − 2η): η = 0.5 lands on the minimum in one step, 0.5 < η < 1 "
                  "overshoots and oscillates but still converges, η = 1 (= 2/λmax) bounces "
                  "between θ and −θ forever, and anything larger diverges. Compare with the "
                  "elongated bowl, where the two directions disagree about the best η.",
            "zh": "最友好的曲面：凸函数，唯一的最小值在原点，梯度 2θ 总是背向原点，所以梯度下降"
                  "沿直线走进去。Hessian 是 2I，各个方向的曲率相同。每一步把 θ 乘以 (1 − 2η)："
                  "η = 0.5 一步到达最小值；0.5 < η < 1 会越过最小值来回振荡但仍然收敛；"
                  "η = 1（即 2/λmax）在 θ 与 −θ 之间永远来回跳；再大就发散。"
                  "可以和椭圆碗对比：那里两个方向对最佳学习率的要求不一致。",
        },
    ),
    SurfaceSpec(
        id="elongated_bowl", name="Elongated bowl (ill-conditioned)",
        formula="0.5*x^2 + 10*y^2", bounds=(-5.0, 5.0, -5.0, 5.0), kind="convex",
        critical_points=(_p(0.0, 0.0, "minimum", 0.0),), complete=True, global_minimum=0.0,
        start=(-4.5, 1.5),
        description={
            "en": "A bowl stretched along x: the Hessian is diag(1, 20), condition number 20. "
                  "Gradient descent is stable only for η < 2/λmax = 0.1, set by the steep y "
                  "direction; with η = 0.09 each step multiplies y by 1 − 20η = −0.8 (it flips "
                  "sign: the zig-zag) while x shrinks by only 9%, so progress along the flat "
                  "valley floor is slow. Raising η to speed up x makes y diverge. Momentum "
                  "cancels the alternating y pushes and accumulates the steady x push; RMSProp "
                  "and Adam divide each coordinate by its own gradient size and walk almost "
                  "straight. Unscaled input features make exactly this shape of loss.",
            "zh": "沿 x 方向拉长的碗：Hessian 为 diag(1, 20)，条件数 20。梯度下降只有在 "
                  "η < 2/λmax = 0.1 时才稳定，这个上限由陡峭的 y 方向决定；取 η = 0.09 时，每一步 "
                  "y 乘以 1 − 20η = −0.8（符号来回翻转，形成之字形），而 x 只缩小 9%，"
                  "所以沿平缓谷底前进得很慢。为了让 x 走快而增大 η，y 就会发散。动量能抵消 y "
                  "方向来回抵消的推动、累积 x 方向一致的推动；RMSProp 和 Adam 按各自坐标的梯度"
                  "大小缩放步长，几乎走直线。未做特征缩放的输入正会造成这种形状的损失函数。",
        },
    ),
    SurfaceSpec(
        id="saddle", name="Saddle", formula="x^2 - y^2", bounds=(-2.0, 2.0, -2.0, 2.0),
        kind="saddle", critical_points=(_p(0.0, 0.0, "saddle", 0.0),), complete=True,
        global_minimum=None, start=(1.8, 0.02),
        description={
            "en": "At the origin the gradient (2x, −2y) vanishes, yet it is not a minimum: the "
                  "Hessian diag(2, −2) is indefinite. Along x the surface curves up, along y "
                  "it curves down; the eigenvector (0, 1) with eigenvalue −2 is the escape "
                  "direction, and a step u along it lowers the loss by ½|λ|‖u‖². Started on "
                  "(or very near) the x axis, gradient descent slides into the saddle and "
                  "almost stops, because the gradient is tiny there: the loss curve shows a "
                  "plateau. The small y offset grows by a factor 1 + 2η per step until the "
                  "path finally escapes. In high dimensions such saddles are far more common "
                  "than local minima. f is unbounded below: along y the loss falls forever.",
            "zh": "在原点梯度 (2x, −2y) 为零，但这不是最小值：Hessian diag(2, −2) 是不定矩阵。"
                  "沿 x 方向曲面向上弯，沿 y 方向向下弯；特征值为 −2 的特征向量 (0, 1) "
                  "就是逃离方向，沿它走一步 u，损失下降 ½|λ|‖u‖²。从 x 轴上（或非常接近 x 轴）"
                  "出发，梯度下降会滑进鞍点并几乎停下，因为那里的梯度很小：损失曲线上出现平台。"
                  "微小的 y 偏移每步乘以 1 + 2η，慢慢变大，最后才逃离。在高维空间中，"
                  "鞍点远比局部最小值常见。这个函数没有下界：沿 y 方向损失会一直下降。",
        },
    ),
    SurfaceSpec(
        id="monkey_saddle", name="Monkey saddle", formula="x^3 - 3*x*y^2",
        bounds=(-2.0, 2.0, -2.0, 2.0), kind="saddle",
        critical_points=(_p(0.0, 0.0, "degenerate", 0.0),), complete=True,
        global_minimum=None, start=(1.5, 0.05),
        description={
            "en": "Three valleys and three ridges meet at the origin (room for a monkey's "
                  "legs and tail). There the gradient and the whole Hessian are zero, so the "
                  "second-order test says nothing: the quadratic Taylor model is flat, and the "
                  "point is degenerate, neither a minimum nor a maximum nor an ordinary saddle. "
                  "Near it the gradient shrinks like r², so gradient descent crawls for a long "
                  "time before a valley takes it away, and even Newton's method converges only "
                  "linearly (each step halves the distance). The eigen-arrows shrink to nothing "
                  "as you approach the centre.",
            "zh": "原点处三条山谷和三条山脊交汇（给猴子的两条腿和尾巴留出位置）。"
                  "那里梯度和整个 Hessian 都为零，所以二阶判别法失效：二次泰勒模型是平的，"
                  "这个点是退化临界点，既不是最小值、最大值，也不是普通的鞍点。在它附近梯度像 "
                  "r² 一样缩小，所以梯度下降要爬很久才会被某条山谷带走；连牛顿法在这里也只是线性"
                  "收敛（每步距离减半）。越靠近中心，特征方向箭头越短，最后消失。",
        },
    ),
    SurfaceSpec(
        id="rosenbrock", name="Rosenbrock", formula="(1 - x)^2 + 100*(y - x^2)^2",
        bounds=(-2.0, 2.0, -1.0, 3.0), kind="valley",
        critical_points=(_p(1.0, 1.0, "minimum", 0.0),), complete=True, global_minimum=0.0,
        start=(-1.2, 1.0),
        description={
            "en": "A narrow, curved, parabolic valley along y = x². Reaching the valley is easy, "
                  "following its floor to the minimum at (1, 1) is hard. At the minimum the "
                  "Hessian's eigenvalues are about 0.4 and 1001.6 (condition number ≈ 2508): "
                  "gradient descent needs η < 2/1001.6 ≈ 0.002 to stay stable across the steep "
                  "walls, and with such a small step it inches along the flat, bending floor. "
                  "The gradient points mostly into the wall, not along the valley. Momentum "
                  "and Adam make much better progress, and Newton's method, which rescales by "
                  "the curvature, follows the bend in a handful of steps.",
            "zh": "沿 y = x² 的一条狭窄、弯曲的抛物线山谷。走进山谷很容易，沿谷底走到 (1, 1) "
                  "处的最小值很难。最小值处 Hessian 的特征值约为 0.4 和 1001.6（条件数约 2508）："
                  "为了在陡峭的谷壁之间保持稳定，梯度下降需要 η < 2/1001.6 ≈ 0.002，"
                  "而步长这么小，它只能在平缓而弯曲的谷底一点点挪动。梯度大多指向谷壁，"
                  "而不是沿着山谷。动量和 Adam 的进展好得多；按曲率缩放步长的牛顿法几步"
                  "就能顺着弯道走到底。",
        },
    ),
    SurfaceSpec(
        id="himmelblau", name="Himmelblau", formula="(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        bounds=(-5.0, 5.0, -5.0, 5.0), kind="multimodal",
        critical_points=(
            _p(3.0, 2.0, "minimum", 0.0),
            _p(-2.805118086952745, 3.131312518250573, "minimum", 0.0),
            _p(-3.779310253377747, -3.2831859912861696, "minimum", 0.0),
            _p(3.5844283403304917, -1.8481265269644036, "minimum", 0.0),
            _p(-0.2708445906673476, -0.9230385564799815, "maximum", 181.6165215225827),
            _p(-0.12796134673068008, -1.9537149802445763, "saddle", 178.33723920192747),
            _p(-3.0730257507643897, -0.08135304428796751, "saddle", 104.0151629175581),
            _p(3.385154183607021, 0.07385187983774928, "saddle", 13.31192627040559),
            _p(0.08667750455539636, 2.884254701174776, "saddle", 67.71915008752615),
        ),
        complete=True, global_minimum=0.0, start=(0.0, 0.0),
        description={
            "en": "Four minima, all with value 0 — (3, 2), (−2.81, 3.13), (−3.78, −3.28) and "
                  "(3.58, −1.85) — a local maximum of 181.6 at (−0.27, −0.92), and four saddles "
                  "on the passes between the basins: nine critical points in all. Every "
                  "minimum is global, so which one an optimizer finds depends only on where "
                  "it starts (its basin of attraction) and, near the saddles, on momentum and "
                  "step size. Start close to a saddle and watch the negative-curvature "
                  "eigen-arrow point to the two basins it separates.",
            "zh": "四个最小值，函数值都是 0：(3, 2)、(−2.81, 3.13)、(−3.78, −3.28) 和 "
                  "(3.58, −1.85)；在 (−0.27, −0.92) 有一个值为 181.6 的局部最大值；"
                  "盆地之间的山口上有四个鞍点：一共九个临界点。每个最小值都是全局最小值，"
                  "所以优化器找到哪一个只取决于从哪里出发（吸引盆），在鞍点附近还取决于动量"
                  "和步长。从鞍点附近出发，看负曲率的特征方向箭头如何指向它分开的两个盆地。",
        },
    ),
    SurfaceSpec(
        id="beale", name="Beale",
        formula="(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        bounds=(-4.5, 4.5, -4.5, 4.5), kind="valley",
        critical_points=(
            _p(3.0, 0.5, "minimum", 0.0),
            _p(0.0, 1.0, "saddle", 14.203125),
            _p(0.10053793732415836, -2.644513585023125, "saddle", 9.86451228475556),
        ),
        complete=True, global_minimum=0.0, start=(1.0, 1.5),
        description={
            "en": "A flat, curved valley leading to the minimum 0 at (3, 0.5), surrounded by "
                  "walls that rise to about 10⁵ in the corners. Gradient sizes differ by "
                  "orders of magnitude across the plot, so a fixed learning rate that is safe "
                  "on the walls is painfully slow on the valley floor, and one that suits the "
                  "floor explodes on the walls: the case for adaptive methods (AdaGrad, "
                  "RMSProp, Adam). Along the whole line y = 1 the value is 14.203125, and "
                  "(0, 1) is a saddle whose Hessian [[0, 27.75], [27.75, 0]] curves up along "
                  "one diagonal and down along the other; a second saddle sits at "
                  "(0.10, −2.64).",
            "zh": "一条平坦而弯曲的山谷通向 (3, 0.5) 处值为 0 的最小值，四周的谷壁在角落升到约 "
                  "10⁵。图中各处的梯度大小相差好几个数量级：在谷壁上安全的固定学习率在谷底慢得"
                  "难以忍受，适合谷底的学习率到了谷壁上又会爆炸——这正是自适应方法（AdaGrad、"
                  "RMSProp、Adam）的用武之地。整条直线 y = 1 上函数值都是 14.203125；(0, 1) "
                  "是一个鞍点，它的 Hessian [[0, 27.75], [27.75, 0]] 沿一条对角线向上弯、"
                  "沿另一条向下弯；另一个鞍点在 (0.10, −2.64)。",
        },
    ),
    SurfaceSpec(
        id="booth", name="Booth", formula="(x + 2*y - 7)^2 + (2*x + y - 5)^2",
        bounds=(-4.0, 6.0, -2.0, 8.0), kind="convex",
        critical_points=(_p(1.0, 3.0, "minimum", 0.0),), complete=True, global_minimum=0.0,
        start=(-3.0, -1.0),
        description={
            "en": "A convex quadratic with its minimum 0 at (1, 3). Its Hessian [[10, 8], "
                  "[8, 10]] is the same everywhere, with eigenvalue 18 along the diagonal "
                  "(1, 1) and 2 along (1, −1): an elongated bowl turned by 45°. Gradient "
                  "descent needs η < 2/18 ≈ 0.11 and zig-zags across the diagonal. Unlike the "
                  "axis-aligned elongated bowl, per-coordinate scaling (AdaGrad, RMSProp, "
                  "Adam) cannot undo this stretch, because the steep and flat directions are "
                  "not the coordinate axes; Newton's method, using the full Hessian, jumps to "
                  "the minimum in one step.",
            "zh": "一个凸二次函数，最小值 0 在 (1, 3)。它的 Hessian [[10, 8], [8, 10]] 处处相同，"
                  "沿对角线 (1, 1) 的特征值为 18，沿 (1, −1) 的为 2：这是一个旋转了 45° 的椭圆碗。"
                  "梯度下降需要 η < 2/18 ≈ 0.11，并且会横跨对角线走之字形。和沿坐标轴拉长的椭圆碗"
                  "不同，按坐标缩放（AdaGrad、RMSProp、Adam）无法消除这种拉伸，因为陡峭和平缓的"
                  "方向不是坐标轴；使用完整 Hessian 的牛顿法一步就能跳到最小值。",
        },
    ),
    SurfaceSpec(
        id="rastrigin", name="Rastrigin",
        formula="20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
        bounds=(-5.12, 5.12, -5.12, 5.12), kind="multimodal",
        critical_points=(_p(0.0, 0.0, "minimum", 0.0),), complete=False, global_minimum=0.0,
        start=(3.2, -2.1),
        description={
            "en": "A bowl x² + y² under an egg-crate of cosines: a local minimum near every "
                  "integer point (121 in this window, 441 critical points in all), with the "
                  "global minimum 0 at the origin. Gradient descent stops in the nearest "
                  "dimple from almost any start; the big bowl shape is visible only from far "
                  "away. A large learning rate, noisy gradients (SGD) or momentum can hop over "
                  "a few ridges, which is why such tricks help on bumpy losses — and why none "
                  "of them is guaranteed to find the global minimum.",
            "zh": "在 x² + y² 的大碗上叠加一层余弦“蛋托”：几乎每个整数点附近都有一个局部最小值"
                  "（这个窗口里有 121 个，临界点总共 441 个），全局最小值 0 在原点。从几乎任何"
                  "起点出发，梯度下降都会停在最近的小坑里；大碗的整体形状只有从远处才看得出。"
                  "大学习率、带噪声的梯度（SGD）或动量可以跳过几道山脊，这就是这些技巧在崎岖损失"
                  "上有用的原因——但它们都不能保证找到全局最小值。",
        },
    ),
    SurfaceSpec(
        id="ackley", name="Ackley",
        formula="-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y)))"
                " + e + 20",
        bounds=(-5.0, 5.0, -5.0, 5.0), kind="multimodal",
        critical_points=(_p(0.0, 0.0, "minimum", 0.0, smooth=False),), complete=False,
        global_minimum=0.0, start=(3.7, 2.4),
        description={
            "en": "A nearly flat outer plateau covered with small dimples, around a deep funnel "
                  "whose tip is the global minimum 0 at the origin. The tip is a kink: the "
                  "√(x² + y²) term makes a cone, so the gradient does not shrink as you "
                  "approach it — its size stays near 2√2 ≈ 2.83 however close you get, and "
                  "there is no gradient at the tip itself. With a fixed learning rate gradient "
                  "descent keeps stepping across the tip and jitters around it at a distance "
                  "of about η·2.8; a decaying learning-rate schedule lets it settle. Far out, "
                  "the dimples trap plain gradient descent in local minima.",
            "zh": "近乎平坦的外围高原上布满小坑，中间是一个深深的漏斗，漏斗尖端是原点处值为 0 的"
                  "全局最小值。尖端是一个不可导的尖点：√(x² + y²) 项形成一个圆锥，所以越靠近尖端"
                  "梯度并不会变小——无论多近，梯度大小都约为 2√2 ≈ 2.83，而尖端本身没有梯度。"
                  "用固定学习率时，梯度下降会不断跨过尖端，在距离约 η·2.8 的范围内来回抖动；"
                  "让学习率逐渐衰减才能停下来。在外围，那些小坑会把普通梯度下降困在局部最小值里。",
        },
    ),
    SurfaceSpec(
        id="six_hump_camel", name="Six-hump camel",
        formula="(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
        bounds=(-2.0, 2.0, -1.0, 1.0), kind="multimodal",
        critical_points=(
            _p(0.08984201310031806, -0.7126564030207396, "minimum", -1.0316284534898774),
            _p(-0.08984201310031806, 0.7126564030207396, "minimum", -1.0316284534898774),
            _p(1.703606714969981, -0.7960835686726251, "minimum", -0.21546382438371764),
            _p(-1.703606714969981, 0.7960835686726251, "minimum", -0.21546382438371764),
            _p(1.6071047529201972, 0.5686514548841314, "minimum", 2.1042503103112584),
            _p(-1.6071047529201972, -0.5686514548841314, "minimum", 2.1042503103112584),
            _p(1.2302298765166526, 0.16233458445899496, "maximum", 2.496295351023577),
            _p(-1.2302298765166526, -0.16233458445899496, "maximum", 2.496295351023577),
            _p(0.0, 0.0, "saddle", 0.0),
            _p(1.1092053368047865, -0.7682680925095399, "saddle", 0.5437186009781851),
            _p(-1.1092053368047865, 0.7682680925095399, "saddle", 0.5437186009781851),
            _p(1.2960702671671092, 0.6050843880386585, "saddle", 2.22947081802986),
            _p(-1.2960702671671092, -0.6050843880386585, "saddle", 2.22947081802986),
            _p(1.6380679841897785, 0.22867406904439408, "saddle", 2.2293571975307147),
            _p(-1.6380679841897785, -0.22867406904439408, "saddle", 2.2293571975307147),
        ),
        complete=True, global_minimum=-1.0316284534898774, start=(-1.2, -0.9),
        description={
            "en": "Six minima — two global ones of −1.0316 at ±(0.0898, −0.7127), two of "
                  "−0.2155 at ±(1.7036, −0.7961) and two shallow ones of 2.1043 at "
                  "±(1.6071, 0.5687) — plus two local maxima and seven saddles, one of them "
                  "at the origin: fifteen critical points, arranged symmetrically under "
                  "(x, y) → (−x, −y). A good map of basins of attraction: nearby starts end "
                  "in different minima, some of them far from the best one.",
            "zh": "六个最小值：两个全局最小值 −1.0316，位于 ±(0.0898, −0.7127)；两个值为 "
                  "−0.2155，位于 ±(1.7036, −0.7961)；两个较浅的值为 2.1043，位于 "
                  "±(1.6071, 0.5687)。另外还有两个局部最大值和七个鞍点（其中一个在原点），"
                  "一共十五个临界点，在 (x, y) → (−x, −y) 下对称分布。它很适合观察吸引盆："
                  "相邻的起点会落到不同的最小值，其中有些离最优值很远。",
        },
    ),
    SurfaceSpec(
        id="styblinski_tang", name="Styblinski-Tang",
        formula="0.5*(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)",
        bounds=(-5.0, 5.0, -5.0, 5.0), kind="multimodal",
        critical_points=(
            _p(-2.903534027771177, -2.903534027771177, "minimum", -78.33233140754282),
            _p(-2.903534027771177, 2.746802770990837, "minimum", -64.19561235905536),
            _p(2.746802770990837, -2.903534027771177, "minimum", -64.19561235905536),
            _p(2.746802770990837, 2.746802770990837, "minimum", -50.05889331056788),
            _p(0.1567312567803401, 0.1567312567803401, "maximum", 0.39122471811071613),
            _p(0.1567312567803401, -2.903534027771177, "saddle", -38.97055334471606),
            _p(-2.903534027771177, 0.1567312567803401, "saddle", -38.97055334471606),
            _p(0.1567312567803401, 2.746802770990837, "saddle", -24.833834296228584),
            _p(2.746802770990837, 0.1567312567803401, "saddle", -24.833834296228584),
        ),
        complete=True, global_minimum=-78.33233140754282, start=(0.5, 0.5),
        description={
            "en": "A sum of two identical one-dimensional tilted double wells, one per "
                  "coordinate, so the Hessian is diagonal and its eigen-directions are always "
                  "the axes. Each coordinate settles at −2.9035 or 2.7468 (the 1D minima) or "
                  "sits at 0.1567 (the 1D maximum), giving four minima of different depth "
                  "(global −78.33 at (−2.90, −2.90)), one maximum near the origin and four "
                  "saddles. Gradient descent takes whichever well each coordinate starts "
                  "in, so a start just right of 0.1567 ends in the shallower well.",
            "zh": "由两个相同的一维“倾斜双势阱”相加而成，每个坐标一个，所以 Hessian 是对角矩阵，"
                  "特征方向总是坐标轴。每个坐标要么落在 −2.9035 或 2.7468（一维最小值），要么停在 "
                  "0.1567（一维最大值），于是得到四个深浅不同的最小值（全局最小值 −78.33 在 "
                  "(−2.90, −2.90)）、原点附近一个最大值和四个鞍点。梯度下降会让每个坐标落进它出发"
                  "时所在的那个势阱，所以从 0.1567 稍右的地方出发，会落到较浅的势阱里。",
        },
    ),
    SurfaceSpec(
        id="double_well", name="Double well", formula="(x^2 - 1)^2 + y^2",
        bounds=(-2.0, 2.0, -2.0, 2.0), kind="multimodal",
        critical_points=(
            _p(-1.0, 0.0, "minimum", 0.0),
            _p(1.0, 0.0, "minimum", 0.0),
            _p(0.0, 0.0, "saddle", 1.0),
        ),
        complete=True, global_minimum=0.0, start=(0.0, 1.8),
        description={
            "en": "Two equal minima at (±1, 0) separated by a saddle at the origin (value 1, "
                  "Hessian diag(−4, 2)). Started exactly on the line x = 0, gradient descent "
                  "runs straight into the saddle and stops, since by symmetry the gradient "
                  "never gets an x component; the smallest nudge — rounding, gradient noise "
                  "or a step along the eigenvector (1, 0) with eigenvalue −4 — decides which "
                  "well it falls into. Symmetry breaking in one picture.",
            "zh": "两个相同的最小值位于 (±1, 0)，中间由原点处的鞍点隔开（函数值 1，Hessian "
                  "diag(−4, 2)）。恰好从直线 x = 0 上出发时，由于对称性梯度永远没有 x 分量，"
                  "梯度下降会笔直地走进鞍点并停下；最微小的扰动——舍入误差、梯度噪声，或沿特征值为 "
                  "−4 的特征向量 (1, 0) 走一步——决定它掉进哪一个势阱。一张图看懂对称性破缺。",
        },
    ),
    SurfaceSpec(
        id="bumpy_bowl", name="Bumpy bowl (momentum demo)",
        formula="0.08*((x - 2.5)^2 + (y + 1)^2) - 2*exp(-((x - 2.5)^2 + (y + 1)^2)/2)"
                " - 1.2*exp(-((x + 1.5)^2 + (y - 1.5)^2))"
                " - 0.8*exp(-((x - 0.5)^2 + (y + 3.5)^2)/0.8)"
                " + 1.2*exp(-((x - 1)^2 + (y - 2)^2))",
        bounds=(-5.0, 5.0, -5.0, 5.0), kind="multimodal",
        critical_points=(
            _p(2.5000166203436844, -1.0000496552960316, "minimum", -1.9999865756477586),
            _p(-1.2349974575637992, 1.325210783926827, "minimum", 0.46861147399685105),
            _p(0.6942659181902087, -3.257167602256591, "minimum", -0.07113746490965825),
            _p(0.8877570157866559, 2.236847541911215, "maximum", 2.1612304010534036),
            _p(-0.4626721187505507, 0.6652330107335978, "saddle", 0.737801579312737),
            _p(1.0405205690110155, -2.8243492893843962, "saddle", -0.007688257211898567),
            _p(0.500369296641798, 3.047121866054743, "saddle", 1.9404440328569676),
        ),
        complete=True, global_minimum=-1.9999865756477586, start=(-4.5, 4.0),
        description={
            "en": "Made for this playground: a gently tilted bowl with a deep well at its "
                  "bottom (the global minimum −2.00 at (2.50, −1.00)), a shallow dip right on "
                  "the downhill path from the top-left (a local minimum 0.469 at "
                  "(−1.23, 1.33), behind a saddle of 0.738 at (−0.46, 0.67)), a second shallow "
                  "dip (−0.071 at (0.69, −3.26)) and a hill (a local maximum 2.16 at "
                  "(0.89, 2.24)). From the suggested start (−4.5, 4), plain gradient descent "
                  "stops in the shallow dip at every learning rate that converges (η up to "
                  "about 0.8), because the gradient there is zero; with momentum 0.9 (any η "
                  "from 0.02 to 1) the ball arrives with enough speed to roll over the saddle "
                  "and on to the global minimum, while momentum 0.5 is not enough.",
            "zh": "为本实验场专门设计：一个略微倾斜的大碗，碗底有一个深坑"
                  "（全局最小值 −2.00，位于 (2.50, −1.00)）；从左上方下山的路上正好有一个浅坑"
                  "（局部最小值 0.469，位于 (−1.23, 1.33)，出口是 (−0.46, 0.67) 处值为 0.738 "
                  "的鞍点）；另有一个浅坑（(0.69, −3.26) 处的 −0.071）和一座小山"
                  "（(0.89, 2.24) 处值为 2.16 的局部最大值）。从建议的起点 (−4.5, 4) 出发，"
                  "只要学习率能收敛（η 不超过约 0.8），普通梯度下降都会停在浅坑里，因为那里的"
                  "梯度为零；加上 0.9 的动量（η 取 0.02 到 1 之间均可），小球带着足够的速度"
                  "冲过鞍点，一直滚到全局最小值，而 0.5 的动量还不够。",
        },
    ),
]

SURFACES: dict[str, SurfaceSpec] = {spec.id: spec for spec in _SPECS}


def _spec(surface_id: str) -> SurfaceSpec:
    spec = SURFACES.get(surface_id)
    if spec is None:
        raise ValueError(f"unknown surface {surface_id!r}; known: {', '.join(SURFACES)}")
    return spec


@cache
def _built(surface_id: str) -> Surface:
    # Imported here: the parser is only needed once a surface is actually built.
    from gradscape.core.formula import parse  # noqa: PLC0415
    from gradscape.core.graph import literal  # noqa: PLC0415

    spec = _spec(surface_id)
    with literal():  # keep the graph as written, like a typed formula (see core.surface)
        expr = parse(spec.formula)
    return Surface(expr, spec.formula, spec.bounds, id=spec.id, name=spec.name)


def get_surface(surface_id: str) -> Surface:
    """The registered surface, built once and shared (treat it as read-only)."""
    _spec(surface_id)  # the ValueError for unknown ids, before anything is cached
    return _built(surface_id)


def build_surface(spec: SurfaceSpec, bounds: Sequence[float] | None = None) -> Surface:
    """A registered surface, with its own bounds or the given ones.

    With other bounds, a new Surface shares the cached one's expression and compiled
    programs (they depend on the formula only), so a zoomed view costs no recompilation.
    """
    shared = get_surface(spec.id)
    if bounds is None:
        return shared
    return Surface(shared.expr, shared.formula, check_bounds(bounds), id=spec.id,
                   name=spec.name, _compiled=shared._compiled)


# Where a run starts when nobody chose: the surface's suggested start if it lies inside the
# bounds, else this fraction of the way across them in x and in y (upper left, away from the
# centre, where many surfaces have their minimum), rounded to START_DIGITS significant digits
# so the number shown on a run's card is the number run.
DEFAULT_START_FRACTION = (0.2, 0.8)
START_DIGITS = 4


def default_start(bounds: Sequence[float],
                  suggested: tuple[float, float] | None = None) -> tuple[float, float]:
    """The start point for a surface with these bounds (and its suggested start, if any)."""
    xmin, xmax, ymin, ymax = check_bounds(bounds)
    if suggested is not None:
        x, y = suggested
        if xmin <= x <= xmax and ymin <= y <= ymax:
            return (float(x), float(y))
    fx, fy = DEFAULT_START_FRACTION
    return (_significant(xmin + fx * (xmax - xmin)), _significant(ymin + fy * (ymax - ymin)))


def _significant(value: float) -> float:
    return float(f"{value:.{START_DIGITS}g}")
