"""The catalog's words in Chinese, beside the English the registries (core/) hold.

The browser's catalog (GET /api/surfaces, /datasets, /optimizers, /schedules) carries every
name and description as {en, zh, zh-Hant} built here, so the page keeps no table of its own
and picks the reader's language. Proper names (Rosenbrock, Adam, SGD) are not translated:
a name missing here is sent in English in every language (tests/test_catalog_served.py
checks every entry that is not a proper name has its Chinese).

"owner.key" in `doc` (an optimizer or schedule id, then the parameter) wins over "key": the
same parameter can mean something else for another optimizer (Newton's lr is a step factor).
"""

from __future__ import annotations

import re
from typing import Any

from gradscape.server.hant import with_hant

ZH: dict[str, dict[str, str]] = {'surface': {'bowl': '圆碗',
             'elongated_bowl': '狭长的碗（病态）',
             'saddle': '马鞍面',
             'monkey_saddle': '猴鞍面',
             'six_hump_camel': '六峰驼背函数',
             'double_well': '双势阱',
             'bumpy_bowl': '坑洼的碗（动量演示）'},
 'dataset': {'linear_regression': '线性回归 (w, b)',
             'logistic_regression': '逻辑回归 (w, b)',
             'single_neuron': '单个神经元 (w, b)'},
 'optimizer': {'momentum': '动量法',
               'nesterov': 'Nesterov 动量',
               'random_search': '随机搜索',
               'random_local_search': '随机局部搜索',
               'newton': '牛顿法',
               'saddle_free_newton': '无鞍牛顿法'},
 'schedule': {'constant': '恒定',
              'step': '阶梯衰减',
              'exponential': '指数衰减',
              'inverse_time': '反时衰减',
              'cosine': '余弦退火'},
 'kind': {'convex': '凸函数',
          'saddle': '鞍面',
          'valley': '弯曲山谷',
          'multimodal': '多个局部最小值',
          'custom': '自定义公式'},
 'doc': {'lr': '学习率 η（学习率调度的基准值）',
         'newton.lr': '步长系数 η（1 = 完整的牛顿步）',
         'saddle_free_newton.lr': '步长系数 η（1 = 完整的牛顿步）',
         'momentum': '动量系数 μ：上一步的运动有多少被带到这一步',
         'rmsprop.momentum': '作用在缩放后步长上的动量 μ',
         'dampening': '动量的阻尼 τ',
         'weight_decay': 'L2 惩罚 λ：梯度变为 g + λθ',
         'nesterov': 'Nesterov 动量：沿 b 先向前看一步',
         'lr_decay': 'η̃ = η / (1 + (t−1)·衰减率)',
         'initial_accumulator_value': 'Σ g² 的初始值',
         'eps': '为了数值稳定而加到 σ 上的 ε',
         'adagrad.eps': '加到 √Σg² 上的 ε',
         'rmsprop.eps': '加到 σ 上的 ε',
         'alpha': 'α：g² 的滑动平均中历史所占的权重',
         'centered': '除以方差，而不是均方值',
         'betas': 'β₁, β₂：一阶矩和二阶矩滑动平均的衰减率',
         'amsgrad': 'AMSGrad：除以 v 的历史最大值',
         'step_size': 's：随机提议的步长',
         'step.step_size': '两次下降之间的步数',
         'damping': '加到海森矩阵对角线上的 δ',
         'min_curvature': '|λ| 的下限 κ，使平坦方向上的步长保持有限',
         'escape_gradient': '梯度范数低于这个值时，逃离鞍点',
         'escape_step': '沿负曲率特征向量逃逸一步的长度',
         'warmup_steps': '开始时线性预热的步数',
         'warmup_start_factor': '预热开始时 η 取其值的这个比例',
         'gamma': '乘法衰减因子 γ',
         'decay_rate': 'η / (1 + k e) 中的 k',
         'T_max': '降到下限所需的步数',
         'eta_min_factor': '下限占 η 的比例'},
 'option': {'samples': '样本数',
            'seed': '随机种子',
            'standardize': '标准化',
            'activation': '激活函数',
            'loss': '损失函数'},
 'optionDoc': {'samples': '数据点的个数',
               'seed': '合成数据的随机种子',
               'standardize': '把特征缩放到均值 0、标准差 1',
               'activation': '神经元的激活函数',
               'loss': '均方误差或交叉熵'},
 'choice': {'mse': '均方误差', 'cross_entropy': '交叉熵'},
 'tex': {' if Nesterov else ': ' 若用 Nesterov，否则 ',
         'then ': '然后 ',
         'bounds': '边界',
         ' if ': ' 若 '}}

# What each backprop gate does with gradients (core's rule table says it in English).
GATES_ZH: dict[str, str] = {
    "add": "加法门：把上游梯度原样分给两个输入",
    "mul": "乘法门：每个输入得到另一个输入乘以上游梯度",
    "relu": "正输入的梯度为 1，否则为 0（死区）",
    "leaky_relu": "负输入的斜率为 0.01，所以梯度永远不会消失",
    "max": "max 门：把全部梯度传给较大的输入（相等时给第一个）",
    "min": "min 门：把全部梯度传给较小的输入（相等时给第一个）",
    "where": "where(c, a, b)：c > 0 时取 a，否则取 b",
}

# Names that stay as they are in Chinese (people, products, acronyms).
PROPER = {"sgd", "adagrad", "rmsprop", "adam", "adamw", "rosenbrock", "himmelblau", "beale",
          "booth", "rastrigin", "ackley", "goldstein_price", "matyas", "three_hump_camel",
          "styblinski_tang"}


def text(en: str, zh: str | None) -> dict[str, str]:
    """{en, zh, zh-Hant}: the English where there is no Chinese."""
    return with_hant({"en": en, "zh": zh if zh is not None else en})


def name(group: str, key: str, en: str) -> dict[str, str]:
    return text(en, ZH[group].get(key))


def doc(owner: str, key: str, en: str) -> dict[str, str]:
    return text(en, ZH["doc"].get(f"{owner}.{key}", ZH["doc"].get(key)))


def rule(tex: str) -> dict[str, str]:
    """A LaTeX rule with the words inside its \\text{...} in each language."""
    zh = re.sub(r"\\text\{([^}]*)\}",
                lambda m: "\\text{" + ZH["tex"].get(m.group(1), m.group(1)) + "}", tex)
    return text(tex, zh)


def with_descriptions(owner: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A params JSON Schema whose properties carry `descriptions`: {en, zh, zh-Hant}."""
    for key, prop in schema.get("properties", {}).items():
        prop["descriptions"] = doc(owner, key, prop.get("description", key))
    return schema


def gate_note(op: str, en: str) -> dict[str, str]:
    """A graph node's note in each language ('' stays '')."""
    return text(en, GATES_ZH.get(op) if en else en)
