"""Every error the server sends, by a stable code, with its texts in English and Chinese.

An error answer (a 422's body, a stream's error frame) carries `code` and `params` beside the
English `detail`/`message`, and `text`: {en, zh, zh-Hant} rendered here from the templates
below. The browser only picks the reader's language (frontend/js/lib/errortext.js); it keeps
no copy of these sentences and parses no prose. The server sends the texts rather than the
browser holding a table by code because the server owns every other text the same way
(surfaces, lessons), one table cannot drift from the code that raises, and a Python client
or a test reads the same Chinese the page shows.

Formula errors take their codes and English from core (core/formula.py's PROBLEMS and
HINTS); their Chinese is here. tests/test_error_codes.py checks every code has both texts
with the same placeholders, and triggers each one against the live app.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

# The core modules that declare refusals, imported so that REFUSALS lists every one.
import gradscape.core.datasets
import gradscape.core.netdata
import gradscape.core.optimizers
import gradscape.core.params
import gradscape.core.runs
import gradscape.core.schedules
import gradscape.core.surface
import gradscape.core.training  # noqa: F401
from gradscape.core.errors import REFUSALS, InputError
from gradscape.core.formula import HINTS, PROBLEMS, FormulaError
from gradscape.server.hant import HANT, to_hant

Params = Mapping[str, Any]

# The Chinese of core's formula problems and hints (the English is core's, unchanged).
FORMULA_ZH: dict[str, str] = {
    "formula.not_text": "公式必须是文本",
    "formula.too_long": "公式太长",
    "formula.empty": "公式是空的",
    "formula.too_deep": "公式嵌套太深",
    "formula.too_large": "公式太大",
    "formula.malformed_number": "数字 {number} 的写法不对",
    "formula.number_too_large": "数字 {number} 太大",
    "formula.unexpected_character": "意外的字符 {char}",
    "formula.unexpected_token": "意外的 {token}",
    "formula.unexpected_close": "意外的 ')'",
    "formula.ends_early": "公式提前结束了",
    "formula.missing_operator": "{token} 前面缺少运算符",
    "formula.missing_close": "缺少与 '(' 配对的 ')'",
    "formula.needs_parentheses": "函数 {function} 需要括号",
    "formula.unknown_function": "未知的函数 {name}",
    "formula.unknown_name": "未知的名称 {name}",
    "formula.arity": "{function} 需要 {arity} 个参数，实际给了 {got} 个",
    "formula.hint.number_form": "数字请写成 3、0.5、.5 或 1e-3 这样",
    "formula.hint.exponent_digits": "指数需要数字，例如 1e-3；常数 e 请写成 {fix}",
    "formula.hint.usable": "请只用数字、x、y、pi、e、函数、+ - * / ^ 和括号",
    "formula.hint.ascii_minus": "请输入 ASCII 减号 '-'",
    "formula.hint.times": "相乘请写 *",
    "formula.hint.divide": "相除请写 /",
    "formula.hint.power": "请写成 ^{power}",
    "formula.hint.pi": "请写成 pi",
    "formula.hint.brackets": "请用圆括号 ( )",
    "formula.hint.equals": "只输入表达式，例如 x^2 + y^2",
    "formula.hint.depth": "括号、函数、正负号和乘方最多嵌套 {limit} 层",
    "formula.hint.nodes": "数字、名称和运算最多 {limit} 个",
    "formula.hint.length": "最多 {limit} 个字符（这个公式有 {length} 个）",
    "formula.hint.empty": "请输入一个关于 x 和 y 的表达式，例如 x^2 + y^2",
    "formula.hint.finite": "数字必须小于 1.8e308",
    "formula.hint.write": "请写成 {fix}",
    "formula.hint.multiply": "相乘请写成 {fix}",
    "formula.hint.implicit": "不支持省略乘号，请写成 {fix}",
    "formula.hint.known": "已知的函数：{names}",
    "formula.hint.use_names": "请使用 {names}",
    "formula.hint.did_you_mean": "你是不是想写 {name}？",
    "formula.hint.ln": "你是不是想写 log（自然对数）？",
    "formula.hint.pow": "乘方请写成 a^b；",
    "formula.hint.operand_after": "{token} 后面必须是数字、名称或 '('",
    "formula.hint.operand_first": "开头必须是数字、名称或 '('",
    "formula.hint.no_opening": "没有与之配对的 '('",
    "formula.hint.comma": "逗号只用来分隔函数的参数，例如 max(x, y)",
}
# The Chinese of core's other coded refusals (core/errors.py's InputError; English in core).
CORE_ZH: dict[str, str] = {
    "param.not_bool": "{name} 的取值 {value} 无效：{name} 必须是 true 或 false",
    "param.not_pair": "{name} 的取值 {value} 无效：{name} 必须是两个数",
    "param.not_integer": "{name} 的取值 {value} 无效：{name} 必须是整数",
    "param.not_number": "{name} 的取值 {value} 无效：{name} 必须是数",
    "param.not_finite": "{name} 的取值 {value} 无效：{name} 必须是有限的数",
    "param.out_of_range": "{name} 的取值 {value} 无效：{name} 必须 {relation} {limit}",
    "param.unknown": "{owner} 没有参数 {names}；已有的参数：{known}",
    "param.between": "{name} 的取值 {value} 无效：{name} 必须在 {low} 到 {high} 之间",
    "param.choice": "{name} 的取值 {value} 无效：请从 {choices} 中选择",
    "param.nesterov": "nesterov 的取值 true 无效：Nesterov 动量要求 momentum > 0 且 "
                      "dampening = 0（现在 momentum 为 {momentum}，dampening 为 {dampening}）",
    "optimizer.unknown": "未知的优化器 {name}；已有的优化器：{known}",
    "network.change_step": "步数 {step} 无效（中途修改的步数须为 {first} 到 {limit} 之间的整数："
                           "晚于前一个修改，且不超过总步数）",
    "optimizer.network_choice": "优化器 {name} 无效（训练网络可选：{known}）",
    "schedule.unknown": "未知的学习率调度 {name}；已有的调度：{known}",
    "dataset.unknown": "未知的数据集 {name}；已有的数据集：{known}",
    "dataset.unknown_option": "数据集 {dataset} 没有选项 {names}；已有的选项：{known}",
    "run.batch_size_analytic": "批量大小（batch_size）只适用于数据集曲面；"
                               "解析曲面请用噪声（noise）",
    "run.batch_size_over": "批量大小 {batch_size} 无效：必须在 1 到样本数 {samples} 之间",
    "run.change_steps": "运行中途修改的步数必须是从 1 到 {limit} 递增的整数，"
                        "但 {last} 之后给了 {step}",
    "bounds.order": "范围无效 {bounds}：必须满足 xmin < xmax 且 ymin < ymax",
    "bounds.range": "范围无效 {bounds}：各个值必须在 ±1e6 之内",
    "network.classes": "classes 的取值 {value} 无效：{dataset} 数据集的类别数只能是 {classes}",
    "network.path_too_long": "steps 的取值 {steps} 无效：{params} 个参数的网络最多只能记录 {limit} "
                             "步的参数路径",
}
# core's English, by code (each module declares it beside its raise: core/errors.py's Refusal).
CORE_EN: dict[str, str] = dict(REFUSALS)
COLUMN = {"en": " at column {column}", "zh": "（第 {column} 列）"}
FIELD = {"en": "{field}: ", "zh": "{field}："}  # a refusal about one part of a request
JOIN = {"en": "; ", "zh": "；"}

# What a request that fails validation says per problem, by pydantic's error type; a type not
# listed says "invalid value" with pydantic's English.
VALIDATION: dict[str, dict[str, str]] = {
    "missing": {"en": "{where}: Field required", "zh": "{where}：缺少这一项"},
    "less_than_equal": {"en": "{where}: Input should be less than or equal to {le}",
                        "zh": "{where}：应当不大于 {le}"},
    "less_than": {"en": "{where}: Input should be less than {lt}", "zh": "{where}：应当小于 {lt}"},
    "greater_than_equal": {"en": "{where}: Input should be greater than or equal to {ge}",
                           "zh": "{where}：应当不小于 {ge}"},
    "greater_than": {"en": "{where}: Input should be greater than {gt}",
                     "zh": "{where}：应当大于 {gt}"},
    "too_long": {"en": "{where}: at most {max_length} items",
                 "zh": "{where}：最多 {max_length} 项"},
    "too_short": {"en": "{where}: at least {min_length} items",
                  "zh": "{where}：至少 {min_length} 项"},
    "string_too_long": {"en": "{where}: at most {max_length} characters",
                        "zh": "{where}：最多 {max_length} 个字符"},
    "string_too_short": {"en": "{where}: at least {min_length} characters",
                         "zh": "{where}：至少 {min_length} 个字符"},
    "finite_number": {"en": "{where}: Input should be a finite number",
                      "zh": "{where}：应当是有限的数"},
    "int_parsing": {"en": "{where}: Input should be an integer", "zh": "{where}：应当是整数"},
    "int_from_float": {"en": "{where}: Input should be an integer", "zh": "{where}：应当是整数"},
    "int_type": {"en": "{where}: Input should be an integer", "zh": "{where}：应当是整数"},
    "float_parsing": {"en": "{where}: Input should be a number", "zh": "{where}：应当是数"},
    "float_type": {"en": "{where}: Input should be a number", "zh": "{where}：应当是数"},
    "bool_parsing": {"en": "{where}: Input should be true or false",
                     "zh": "{where}：应当是 true 或 false"},
    "bool_type": {"en": "{where}: Input should be true or false",
                  "zh": "{where}：应当是 true 或 false"},
    "string_type": {"en": "{where}: Input should be text", "zh": "{where}：应当是文本"},
    "list_type": {"en": "{where}: Input should be a list", "zh": "{where}：应当是列表"},
    "dict_type": {"en": "{where}: Input should be an object", "zh": "{where}：应当是对象"},
    "model_type": {"en": "{where}: Input should be an object", "zh": "{where}：应当是对象"},
    # pydantic's `expected` ("'a', 'b' or 'c'") with its English "or" made a comma: `choices`
    "literal_error": {"en": "{where}: Input should be one of {choices}",
                      "zh": "{where}：应当是 {choices} 之一"},
    "model_attributes_type": {"en": "{where}: Input should be an object",
                              "zh": "{where}：应当是对象"},
    "extra_forbidden": {"en": "{where}: unknown field", "zh": "{where}：未知的字段"},
    "json_invalid": {"en": "{where}: invalid JSON", "zh": "{where}：JSON 格式不对"},
    "other": {"en": "{where}: {msg}", "zh": "{where}：取值无效（{msg}）"},
}

# The server's own errors, by code: {en, zh} templates over the answer's params.
SERVER: dict[str, dict[str, str]] = {
    "request.invalid": {"en": "{problems}", "zh": "请求无效：{problems}"},
    "request.unreadable": {"en": "the request body could not be read: send UTF-8 encoded JSON",
                           "zh": "无法读取请求内容：请发送 UTF-8 编码的 JSON"},
    "request.out_of_range": {"en": "a number in the request is out of range ({reason}); use "
                                   "smaller values",
                             "zh": "请求中的某个数超出了范围（{reason}）；请用小一些的值"},
    "request.busy": {"en": "{reason}; try again in {seconds} s",
                     "zh": "服务器正忙，请 {seconds} 秒后再试"},
    "request.shutting_down": {"en": "stopped: {reason}; try again in a moment",
                              "zh": "服务器正在重启，请稍后再试"},
    "request.too_much_work": {"en": "stopped: {reason}; ask for less work (a lower resolution, "
                                    "fewer steps or samples)",
                              "zh": "计算被停止（超出时间限制）；请减少计算量（降低分辨率，"
                                    "减少步数或样本数）"},
    "formula.blank": {"en": "the formula is empty: type an expression in x and y, e.g. "
                            "x^2 + 3*y^2",
                      "zh": "公式是空的：请输入一个关于 x 和 y 的表达式，例如 x^2 + 3*y^2"},
    "formula.over_length": {"en": "the formula is {length} characters long; shorten it to at "
                                  "most {limit}",
                            "zh": "公式有 {length} 个字符；请缩短到最多 {limit} 个"},
    # The stream's own: a message it cannot take, and its refusals (then it closes).
    "stream.binary": {"en": "send JSON text messages, not binary ones",
                      "zh": "请发送 JSON 文本消息，而不是二进制消息"},
    "stream.too_large": {"en": "message too large ({size} characters; at most {limit})",
                         "zh": "消息太大（{size} 个字符；最多 {limit} 个）"},
    "stream.internal": {"en": "internal error handling that message; please report it",
                        "zh": "处理这条消息时服务器内部出错；请报告这个问题"},
    "stream.race_failed": {"en": "internal error while stepping the race; start it again",
                           "zh": "运行优化时服务器内部出错；请重新开始"},
    "idle": {"en": "closed: no race was started within {seconds} s of connecting; reconnect "
                   "to race",
             "zh": "连接后 {seconds} 秒内没有开始优化，连接已关闭；开始优化时会重新连接"},
    "origin": {"en": "this server does not accept streams from pages of another site; open the "
                     "app from the server itself (or list this page's origin in "
                     "GRADSCAPE_ALLOWED_ORIGINS)",
               "zh": "此页面不能使用该服务器运行优化：请直接从服务器打开 gradscape"},
    "per_client": {"en": "Too many gradscape tabs from your network ({held} open): close a "
                         "few and this one reconnects by itself (the server's limit: "
                         "GRADSCAPE_MAX_STREAMS_PER_CLIENT)",
                   "zh": "来自当前网络的 gradscape 标签页过多（已打开 {held} 个）：请关闭几个，"
                         "之后会自动重新连接"},
    "busy": {"en": "server busy: {total} streams open (the limit is GRADSCAPE_MAX_STREAMS); "
                   "try again later",
             "zh": "服务器正在运行大量优化（{total} 个连接），暂时繁忙；几秒后自动重试…"},
    "stream.not_json": {"en": "messages must be JSON objects; could not parse this one ({reason})",
                        "zh": "消息必须是 JSON 对象；这条消息无法解析"},
    "stream.not_object": {"en": "messages must be JSON objects like {{\"type\": \"start\", ...}}",
                          "zh": "消息必须是 JSON 对象，例如 {{\"type\": \"start\", ...}}"},
    "stream.unknown_type": {"en": "unknown message type {kind}; use one of {types}",
                            "zh": "未知的消息类型 {kind}；请使用 {types} 之一"},
    "stream.no_race": {"en": "no race to {kind}: send a start message first",
                       "zh": "没有可以 {kind} 的优化：请先发送 start 消息"},
    "stream.finished": {"en": "this race has finished; send a new start to race again",
                        "zh": "这次优化已经结束；请发送新的 start 重新开始"},
    "stream.no_run": {"en": "no run {run}: this race has runs 0 to {last}",
                      "zh": "没有第 {run} 个运行：这次优化的运行编号是 0 到 {last}"},
    "limit.steps": {"en": "steps {steps} is above this server's limit; use at most {limit}",
                    "zh": "步数 {steps} 超过了服务器的上限；最多 {limit} 步"},
    "limit.runs": {"en": "{runs} runs is above this server's limit; race at most {limit} at once",
                   "zh": "{runs} 个运行超过了服务器的上限；一次最多 {limit} 个"},
    "request.not_found": {"en": "{reason}",
                          "zh": "找不到所请求的内容（路径或编号不存在）"},
    "request.too_large": {"en": "{reason}",
                          "zh": "请求太大，超过了服务器接受的上限；请发送小一些的请求（更少的运行，"
                                "更短的公式）"},
    # This server's limits on sizes a request names (stricter than the schema's ceilings).
    "limit.over": {"en": "{field}: {value} is above this server's limit ({setting}); use at "
                         "most {limit}",
                   "zh": "{field}：{value} 超过了服务器的上限（{setting}）；最多 {limit}"},
    "limit.net_layers": {"en": "network.hidden: {layers} hidden layers is above this server's "
                               "limit (GRADSCAPE_MAX_NET_LAYERS); use at most {limit}",
                         "zh": "network.hidden：{layers} 个隐藏层超过了服务器的上限"
                               "（GRADSCAPE_MAX_NET_LAYERS）；最多 {limit} 层"},
    "limit.net_width": {"en": "network.hidden: width {width} is above this server's limit "
                              "(GRADSCAPE_MAX_NET_WIDTH); use at most {limit}",
                        "zh": "network.hidden：宽度 {width} 超过了服务器的上限"
                              "（GRADSCAPE_MAX_NET_WIDTH）；每层最多 {limit} 个神经元"},
    "limit.net_params": {"en": "network.hidden: {hidden} gives {params} parameters, above this "
                               "server's limit (GRADSCAPE_MAX_NET_PARAMS) of {limit}; use fewer "
                               "or narrower layers",
                         "zh": "network.hidden：{hidden} 共有 {params} 个参数，超过了服务器的上限"
                               "（GRADSCAPE_MAX_NET_PARAMS）{limit}；请减少层数或每层的宽度"},
    # The work estimate's `what` and `advice` are English prose: the Chinese names the budget
    # and the usual ways to ask for less.
    "limit.work": {"en": "{what} is about {units} units of work, above this server's budget of "
                         "{budget} per request (GRADSCAPE_MAX_WORK); {advice}",
                   "zh": "这个请求的计算量约为 {units} 个单位，"
                         "超过了服务器对每个请求的预算 {budget}（GRADSCAPE_MAX_WORK）；"
                         "请减少计算量：更少的步数、运行或样本，更低的分辨率或更小的网络"},
    "request.too_deep": {"en": "the JSON is nested more than {limit} levels deep; no request "
                               "needs more than a few levels: send the request's documented "
                               "shape",
                         "zh": "JSON 的嵌套超过了 {limit} 层；请求只需要几层："
                               "请按文档中的格式发送"},
    "surface.unknown": {"en": "unknown surface {name}: use one of {known} or a data set "
                              "({datasets}), or send a typed formula as "
                              "{{\"formula\": \"x^2 + y^2\"}}",
                        "zh": "未知的曲面 {name}：请使用 {known} 之一，或数据集（{datasets}），"
                              "或者以 {{\"formula\": \"x^2 + y^2\"}} 的形式发送公式"},
    "network.needs_run": {"en": "run: give the optimizer that trains the `steps` updates (e.g. "
                                "{{\"optimizer\": \"sgd\", \"params\": {{\"lr\": 0.1}}}})",
                          "zh": "run：请给出训练这 steps 步所用的优化器（例如 "
                                "{{\"optimizer\": \"sgd\", \"params\": {{\"lr\": 0.1}}}}）"},
    "network.theta_length": {"en": "theta: {given} numbers given; this network has {params} "
                                   "parameters",
                             "zh": "theta：给了 {given} 个数，而这个网络有 {params} 个参数"},
    "network.hessian_too_large": {"en": "network.hidden: {params} parameters is too many for a "
                                        "full Hessian spectrum (at most {limit}); use a smaller "
                                        "network",
                                  "zh": "network.hidden：{params} 个参数太多，无法计算完整的"
                                        "海森矩阵谱（最多 {limit} 个）；请用更小的网络"},
    "stream.landscape_no_network": {"en": "landscape: only a network race has one; start a "
                                          "race with a \"network\"",
                                    "zh": "landscape：只有神经网络的优化才有损失地形；请先发送带 "
                                          "\"network\" 的 start"},
    "stream.landscape_too_long": {"en": "landscape: this race's paths are {need} numbers, above "
                                        "this server's limit of {limit} kept per stream "
                                        "(GRADSCAPE_MAX_KEPT_FLOATS); use fewer steps, fewer "
                                        "runs or a smaller network, or ask POST "
                                        "/api/network/landscape for the slice",
                                  "zh": "landscape：这次优化的路径有 {need} 个数，"
                                        "超过了服务器为每个连接保留的上限 {limit}"
                                        "（GRADSCAPE_MAX_KEPT_FLOATS）；"
                                        "请减少步数、运行数或网络大小，或者用 POST "
                                        "/api/network/landscape 请求损失地形"},
    # Anything core refuses without a code yet: the English reason, framed in Chinese.
    "input.invalid": {"en": "{reason}", "zh": "输入无效：{reason}"},
}


MORE = "；还有 {more} 个问题"


def registry() -> dict[str, dict[str, str]]:
    """Every code the server can send (formula problems and hints included) -> {en, zh}."""
    codes = {code: {"en": en, "zh": FORMULA_ZH[code]} for code, en in {**PROBLEMS,
                                                                      **HINTS}.items()}
    codes.update({code: {"en": en, "zh": CORE_ZH[code]} for code, en in CORE_EN.items()})
    codes.update(SERVER)
    codes.update({f"validation.{kind}": text for kind, text in VALIDATION.items()})
    return codes


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


_REGISTRY = registry()


class CodedError(ValueError):
    """A refusal of the server's own (not core's) with its code and params."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code, self.params = code, params
        super().__init__(SERVER[code]["en"].format(**params))


class InvalidMessageError(ValueError):
    """A stream message that failed validation: its problems coded as a request's are."""

    def __init__(self, english: str, body: dict[str, Any]) -> None:
        self.body = body
        super().__init__(english)


LANGS = ("en", "zh", HANT)


def templates_zh() -> list[str]:
    """Every Simplified template here, for scripts/make_zh_hant.py to convert (the templates
    are converted, not the filled texts: a parameter is the user's own text)."""
    return [text["zh"] for text in registry().values()] + [COLUMN["zh"], JOIN["zh"], MORE,
                                                           FIELD["zh"]]


def template(code: str, lang: str) -> str:
    """The code's template in `lang` (zh-Hant converted from zh by the committed table)."""
    text = _REGISTRY[code]
    return to_hant(text["zh"]) if lang == HANT else text[lang]


def texts(code: str, params: Params) -> dict[str, str]:
    """{en, zh, zh-Hant} of a registered code."""
    return {lang: template(code, lang).format(**params) for lang in LANGS}


def _in(lang: str, table: dict[str, str]) -> str:
    return to_hant(table["zh"]) if lang == HANT else table[lang]


def formula_texts(exc: FormulaError) -> dict[str, str]:
    out = {}
    for lang in LANGS:
        line = template(exc.code, lang).format(**exc.params)
        if exc.located:
            line += _in(lang, COLUMN).format(column=exc.column)
        hint = "".join(template(c, lang).format(**p) for c, p in exc.hints)
        out[lang] = line + (_in(lang, JOIN) + hint if hint else "")
    return out


def error_body(exc: ValueError) -> dict[str, Any]:
    """code, params and text of a refused input (without the English `detail`/`message`)."""
    if isinstance(exc, FormulaError):
        return {"code": exc.code, "params": {**exc.params, "column": exc.column},
                "hints": [{"code": c, "params": p} for c, p in exc.hints],
                "column": exc.column, "text": formula_texts(exc)}
    if isinstance(exc, InputError) and exc.code in _REGISTRY:
        text = texts(exc.code, exc.params)
        if not exc.field:
            return {"code": exc.code, "params": exc.params, "text": text}
        text = {lang: _in(lang, FIELD).format(field=exc.field) + line
                for lang, line in text.items()}
        return {"code": exc.code, "params": exc.params, "field": exc.field, "text": text}
    if isinstance(exc, InvalidMessageError):
        return exc.body
    if isinstance(exc, CodedError):
        return {"code": exc.code, "params": exc.params, "text": texts(exc.code, exc.params)}
    reason = str(exc) or "invalid input"
    return {"code": "input.invalid", "params": {"reason": reason},
            "text": texts("input.invalid", {"reason": reason})}


def validation_problems(errors: Sequence[Any], where: Any) -> list[dict[str, Any]]:
    """pydantic's errors as (code, params) with texts, at most five."""
    out = []
    for err in errors[:5]:
        kind = err.get("type", "other")
        params = {"where": where(err.get("loc", ())), "msg": err.get("msg", "invalid"),
                  **{k: v if isinstance(v, int | float) else str(v)
                     for k, v in (err.get("ctx") or {}).items()}}
        if "expected" in params:
            params["choices"] = str(params["expected"]).replace(" or ", ", ")
        code = f"validation.{kind}" if kind in VALIDATION else "validation.other"
        try:
            text = texts(code, params)
        except (KeyError, IndexError):  # a ctx without the field the template names
            code, text = "validation.other", texts("validation.other", params)
        out.append({"code": code, "params": params, "text": text})
    return out


def validation_body(errors: Sequence[Any], where: Any, english: str) -> dict[str, Any]:
    """The body of a request that failed validation: one text per problem, joined."""
    problems = validation_problems(errors, where)
    more = len(errors) - len(problems)
    text = {"en": english}
    for lang in LANGS[1:]:
        joined = _in(lang, JOIN).join(p["text"][lang] for p in problems)
        if more:
            joined += _in(lang, {"zh": MORE}).format(more=more)
        text[lang] = template("request.invalid", lang).format(problems=joined)
    return {"code": "request.invalid", "params": {"problems": english},
            "problems": problems, "text": text}
