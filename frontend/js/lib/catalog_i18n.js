// Chinese for the words the server's catalog sends in English only: surface, optimizer and
// schedule names, hyperparameter descriptions (the tooltips and screen-reader names of the
// sliders), data-set options, surface kinds and the backprop gates' notes. Surface and lesson
// texts already come as {en, zh} from the server and are not repeated here.
//
// Proper names (Rosenbrock, Adam, SGD) stay as they are. Anything missing from a table keeps
// the server's English, so a new optimizer shows up named rather than blank.

export const ZH_NAMES = {
  surface: {
    bowl: '圆碗',
    elongated_bowl: '狭长的碗（病态）',
    saddle: '马鞍面',
    monkey_saddle: '猴鞍面',
    six_hump_camel: '六峰驼背函数',
    double_well: '双势阱',
    bumpy_bowl: '坑洼的碗（动量演示）',
  },
  dataset: {
    linear_regression: '线性回归 (w, b)',
    logistic_regression: '逻辑回归 (w, b)',
    single_neuron: '单个神经元 (w, b)',
  },
  optimizer: {
    momentum: '动量法',
    nesterov: 'Nesterov 动量',
    random_search: '随机搜索',
    random_local_search: '随机局部搜索',
    newton: '牛顿法',
    saddle_free_newton: '无鞍牛顿法',
  },
  schedule: {
    constant: '恒定',
    step: '阶梯衰减',
    exponential: '指数衰减',
    inverse_time: '反时衰减',
    cosine: '余弦退火',
  },
  kind: {
    convex: '凸函数',
    saddle: '鞍面',
    valley: '弯曲山谷',
    multimodal: '多个局部最小值',
    custom: '自定义公式',
  },
  // Hyperparameter descriptions: "owner.key" (an optimizer or schedule id) wins over "key".
  doc: {
    lr: '学习率 η（学习率调度的基准值）',
    'newton.lr': '步长系数 η（1 = 完整的牛顿步）',
    'saddle_free_newton.lr': '步长系数 η（1 = 完整的牛顿步）',
    momentum: '动量系数 μ：上一步的运动有多少被带到这一步',
    'rmsprop.momentum': '作用在缩放后步长上的动量 μ',
    dampening: '动量的阻尼 τ',
    weight_decay: 'L2 惩罚 λ：梯度变为 g + λθ',
    nesterov: 'Nesterov 动量：沿 b 先向前看一步',
    lr_decay: 'η̃ = η / (1 + (t−1)·衰减率)',
    initial_accumulator_value: 'Σ g² 的初始值',
    eps: '为了数值稳定而加到 σ 上的 ε',
    'adagrad.eps': '加到 √Σg² 上的 ε',
    'rmsprop.eps': '加到 σ 上的 ε',
    alpha: 'α：g² 的滑动平均中历史所占的权重',
    centered: '除以方差，而不是均方值',
    betas: 'β₁, β₂：一阶矩和二阶矩滑动平均的衰减率',
    amsgrad: 'AMSGrad：除以 v 的历史最大值',
    step_size: 's：随机提议的步长',
    'step.step_size': '两次下降之间的步数',
    damping: '加到海森矩阵对角线上的 δ',
    min_curvature: '|λ| 的下限 κ，使平坦方向上的步长保持有限',
    escape_gradient: '梯度范数低于这个值时，逃离鞍点',
    escape_step: '沿负曲率特征向量逃逸一步的长度',
    warmup_steps: '开始时线性预热的步数',
    warmup_start_factor: '预热开始时 η 取其值的这个比例',
    gamma: '乘法衰减因子 γ',
    decay_rate: 'η / (1 + k e) 中的 k',
    T_max: '降到下限所需的步数',
    eta_min_factor: '下限占 η 的比例',
  },
  option: {
    samples: '样本数',
    seed: '随机种子',
    standardize: '标准化',
    activation: '激活函数',
    loss: '损失函数',
  },
  optionDoc: {
    samples: '数据点的个数',
    seed: '合成数据的随机种子',
    standardize: '把特征缩放到均值 0、标准差 1',
    activation: '神经元的激活函数',
    loss: '均方误差或交叉熵',
  },
  // sigmoid, tanh, relu, leaky_relu are the functions' names, as written in formulas.
  choice: {
    mse: '均方误差',
    cross_entropy: '交叉熵',
  },
  // Words inside the update rules' LaTeX (\text{...}).
  tex: {
    ' if Nesterov else ': ' 若用 Nesterov，否则 ',
    'then ': '然后 ',
    bounds: '边界',
    ' if ': ' 若 ',
  },
  gate: {
    add: '加法门：把上游梯度原样分给两个输入',
    mul: '乘法门：每个输入得到另一个输入乘以上游梯度',
    relu: '正输入的梯度为 1，否则为 0（死区）',
    leaky_relu: '负输入的斜率为 0.01，所以梯度永远不会消失',
    max: 'max 门：把全部梯度传给较大的输入（相等时给第一个）',
    min: 'min 门：把全部梯度传给较小的输入（相等时给第一个）',
    where: 'where(c, a, b)：c > 0 时取 a，否则取 b',
  },
};

// The op's word after its symbol in the backprop graph ("+ add"). Functions (sin, exp) keep
// their formula name.
const OP_WORDS = {
  en: {
    add: 'add', sub: 'sub', mul: 'mul', div: 'div', pow: 'pow', neg: 'neg', square: 'square',
    var: 'var', const: 'const',
  },
  zh: {
    add: '加', sub: '减', mul: '乘', div: '除', pow: '幂', neg: '取负', square: '平方',
    var: '变量', const: '常数',
  },
};

const pick = (lang, group, key) => (lang === 'zh' ? ZH_NAMES[group][key] : undefined);

/** Localize a catalog entry's field in place, remembering the server's English once. */
function swap(obj, field, text) {
  const orig = `${field}_en`;
  if (!(orig in obj)) obj[orig] = obj[field];
  obj[field] = text ?? obj[orig];
}

/** A LaTeX rule with its \text{...} words in `lang` (symbols untouched). */
export function localizeTex(tex, lang) {
  if (lang !== 'zh' || !tex) return tex;
  return tex.replace(/\\text\{([^}]*)\}/g, (m, words) => {
    const zh = ZH_NAMES.tex[words];
    return zh === undefined ? m : `\\text{${zh}}`;
  });
}

function localizeSchema(owner, schema, lang) {
  for (const [key, p] of Object.entries(schema?.properties || {})) {
    swap(p, 'description', pick(lang, 'doc', `${owner}.${key}`) ?? pick(lang, 'doc', key));
  }
}

/**
 * Names and descriptions of the catalog (surfaces, datasets, optimizers, schedules, as the
 * server sends them) in `lang`, in place; calling it again with 'en' restores the originals.
 * Data-set options also get a `label` (the option's key in English).
 */
export function localizeCatalog(catalog, lang) {
  for (const s of catalog.surfaces || []) swap(s, 'name', pick(lang, 'surface', s.id));
  for (const d of catalog.datasets || []) {
    swap(d, 'name', pick(lang, 'dataset', d.id));
    for (const [key, opt] of Object.entries(d.options || {})) {
      swap(opt, 'doc', pick(lang, 'optionDoc', key));
      opt.label = pick(lang, 'option', key) ?? key;
    }
  }
  for (const o of catalog.optimizers || []) {
    swap(o, 'name', pick(lang, 'optimizer', o.id));
    if (o.rule) swap(o, 'rule', localizeTex(o.rule_en ?? o.rule, lang));
    localizeSchema(o.id, o.params, lang);
  }
  for (const s of catalog.schedules || []) {
    swap(s, 'name', pick(lang, 'schedule', s.id));
    localizeSchema(s.id, s.params, lang);
  }
  return catalog;
}

/** A surface kind ('convex', 'saddle', ...) in words. */
export function kindName(kind, lang) {
  return pick(lang, 'kind', kind) ?? kind;
}

/** The text of a data-set option's choice. */
export function choiceLabel(value, lang) {
  return pick(lang, 'choice', String(value)) ?? String(value);
}

/** What a backprop gate does with gradients (the server's note is English). */
export function gateNote(op, note, lang) {
  if (!note) return note;
  return pick(lang, 'gate', op) ?? note;
}

/** The word shown after an operator's symbol in the graph. */
export function opWord(op, lang) {
  return (OP_WORDS[lang] || OP_WORDS.en)[op] ?? op;
}

// --- the formula parser's messages (core/formula.py), "<what> at column N; <hint>" ----------
// Matched piece by piece; a message no pattern knows stays in the server's English.
const FORMULA_WHAT = [
  [/^expected an operator before (.+)$/, '{1} 前面缺少运算符'],
  [/^unknown name (.+)$/, '未知的名称 {1}'],
  [/^unknown function (.+)$/, '未知的函数 {1}'],
  [/^formula ends too early$/, '公式提前结束了'],
  [/^missing '\)' for '\('$/, "缺少与 '(' 配对的 ')'"],
  [/^unexpected character (.+)$/, '意外的字符 {1}'],
  [/^function (\S+) needs parentheses$/, '函数 {1} 需要括号'],
  [/^(\S+) takes (\d+) arguments?, got (\d+)$/, '{1} 需要 {2} 个参数，实际给了 {3} 个'],
  [/^malformed number (.+)$/, '数字 {1} 的写法不对'],
  [/^number (.+) is too large$/, '数字 {1} 太大'],
  [/^formula nested too deeply$/, '公式嵌套太深'],
  [/^formula too large$/, '公式太大'],
  [/^formula too long$/, '公式太长'],
  [/^empty formula$/, '公式是空的'],
  [/^unexpected (.+)$/, '意外的 {1}'],
];
const FORMULA_HINT = [
  [/^implicit multiplication is not supported, write (.+)$/, '不支持省略乘号，请写成 {1}'],
  [/^write (.+) to multiply$/, '相乘请写成 {1}'],
  [/^known: (.+)$/, '已知的函数：{1}'],
  [/^a number, a name or '\(' must come after (.+)$/, "{1} 后面必须是数字、名称或 '('"],
  [/^a number, a name or '\(' must come first$/, "开头必须是数字、名称或 '('"],
  [/^use numbers, x, y, pi, e, functions, \+ - \* \/ \^ and parentheses$/, '请只用数字、x、y、pi、e、函数、+ - * / ^ 和括号'],
  [/^use at most (\d+) levels of parentheses.*$/, '括号、函数和运算最多嵌套 {1} 层'],
  [/^use at most (\d+) numbers, names and operations$/, '数字、名称和运算最多 {1} 个'],
  [/^use at most (\d+) characters \(this one has (\d+)\)$/, '最多 {1} 个字符（这个公式有 {2} 个）'],
  [/^use (.+)$/, '请使用 {1}'],
  [/^it has no matching '\('$/, "没有与之配对的 '('"],
  [/^an exponent needs digits, e\.g\. 1e-3; for the constant e write (.+)$/, '指数需要数字，例如 1e-3；常数 e 请写成 {1}'],
  [/^did you mean (\S+)\? ?(.*)$/, '你是不是想写 {1}？{2}'],
  [/^write (.+)$/, '请写成 {1}'],
];
const FORMULA_WHOLE = [
  [/^the formula is empty: type an expression in x and y, e\.g\. (.+)$/, '公式是空的：请输入一个关于 x 和 y 的表达式，例如 {1}'],
];

function translatePiece(text, table) {
  for (const [re, zh] of table) {
    const m = re.exec(text);
    if (m) {
      return zh.replace(/\{(\d)\}/g, (_, i) => {
        const part = m[Number(i)] ?? '';
        // "did you mean sin? write sin(x)": the rest is a hint of its own
        return table === FORMULA_HINT && i === '2' && part ? (translatePiece(part, FORMULA_HINT) ?? part) : part;
      });
    }
  }
  return null;
}

/** A formula error from the server in `lang`; unknown wording stays as the server said it. */
export function localizeFormulaError(message, lang) {
  if (lang !== 'zh' || !message) return message;
  const whole = translatePiece(message, FORMULA_WHOLE);
  if (whole) return whole;
  const m = /^(.*?)(?: at column (\d+))?(?:; (.*))?$/s.exec(message);
  if (!m) return message;
  const [, what, column, hint] = m;
  const whatZh = translatePiece(what, FORMULA_WHAT);
  const hintZh = hint ? translatePiece(hint, FORMULA_HINT) : '';
  if (whatZh === null || hintZh === null) return message;
  return `${whatZh}${column ? `（第 ${column} 列）` : ''}${hintZh ? `；${hintZh}` : ''}`;
}
