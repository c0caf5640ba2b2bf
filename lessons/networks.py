"""The "real networks" lessons (CONCEPTS.md section 9): tiny MLPs trained live.

A network lesson's scene is {"mode": "network", "request": <the JSON body of a network race,
server/netschemas.py NetRaceRequest>, "plane": "pca" | "random" | "hessian" | "interp",
"step": int | None (None: the last step)}. tests/test_lessons_networks.py runs every request
through core (core.train from prob.init(init_seed), what the race does) over several seeds
and asserts each claim; tests/test_lesson_authoring.py checks the numbers the texts state.
Where the course notes say an explanation is not settled (why small batches generalize), the
text states only what the scene shows and says the rest is debated.
"""

from __future__ import annotations

from typing import Any

from gradscape.lessons.catalog import Lesson, NetworkScene, Plane


def net_run(optimizer: str, lr: float, batch_size: int | None = None,
            **extra: Any) -> dict[str, Any]:
    return {"optimizer": optimizer, "params": {"lr": lr}, "batch_size": batch_size, **extra}


def net_scene(network: dict[str, Any], runs: list[dict[str, Any]], steps: int, *,
              plane: Plane = "pca", step: int | None = None, sharpness_every: int = 0,
              init_seed: int = 0, seed: int = 0) -> NetworkScene:
    request = {"network": network, "runs": runs, "steps": steps, "init_seed": init_seed,
               "seed": seed, "sharpness_every": sharpness_every}
    return {"mode": "network", "request": request,
            "plane": plane, "step": step}


SPIRALS = {"dataset": "spirals", "hidden": [8, 8], "activation": "tanh", "samples": 128,
           "test_samples": 128, "seed": 0}
MOONS = {"dataset": "moons", "hidden": [16], "activation": "tanh", "samples": 256,
         "test_samples": 256, "seed": 0}
SINE = {"dataset": "sine", "hidden": [16], "activation": "tanh", "samples": 64,
        "test_samples": 256, "noise": 0.3, "seed": 0}
SINE_EOS = {"dataset": "sine", "hidden": [16], "activation": "tanh", "samples": 64,
            "test_samples": 64, "seed": 0}
SINE_RELU = {"dataset": "sine", "hidden": [32], "activation": "relu", "samples": 64,
             "test_samples": 64, "seed": 0}
WARMUP_200 = {"warmup_steps": 200, "warmup_start_factor": 0.01}
MOONS_SLICE = {"dataset": "moons", "hidden": [16], "activation": "tanh", "samples": 128,
               "test_samples": 128, "seed": 0}

NETWORK_LESSONS: list[Lesson] = [
    Lesson(
        "net_saddles", "9",
        net_scene(SPIRALS, [net_run("sgd", 0.1)], 500),
        {"en": "Where a network stalls: a saddle, not a minimum",
         "zh": "网络卡住的地方：是鞍点，不是极小值"},
        {"en": "A network with 2 hidden layers of 8 units has 114 parameters, so its Hessian "
               "has 114 eigenvalues. At a local minimum all of them are positive; the minimum "
               "ratio is the fraction that is. The notes' experience: in a space of so many "
               "dimensions, where training gets stuck is almost always a saddle point "
               "(Dauphin et al. study the same idea).",
         "zh": "一个有 2 个隐藏层、每层 8 个神经元的网络有 114 个参数，所以它的海森矩阵有 114 个"
               "特征值。在局部极小值处，这些特征值全都为正；极小值比例就是其中正特征值所占的"
               "比例。讲义的经验是：在维度这么高的空间里，训练卡住的地方几乎总是鞍点"
               "（Dauphin 等人研究的也是这个想法）。"},
        {"en": "The loss curve flattening out on the spirals, then the Hessian spectrum at the "
               "last step: the count of negative eigenvalues and the minimum ratio.",
         "zh": "在螺旋数据上损失曲线变平，然后看最后一步的海森矩阵谱：负特征值的个数和极小值"
               "比例。"},
        {"en": "Gradient descent has nearly stopped moving. Is it at a local minimum (minimum "
               "ratio 1) or at a saddle point (below 1)?",
         "zh": "梯度下降几乎不动了。它停在局部极小值（极小值比例为 1）还是鞍点（小于 1）？"},
        {"en": "A saddle point. The loss barely moves over the last 100 steps, yet the minimum "
               "ratio is below 0.8: more than a fifth of the eigenvalues are negative, so the "
               "loss can still go down along those directions (for every initialization seed "
               "from 0 to 9). They are small next to λmax, which is why plain gradient "
               "descent is so slow to find them.",
         "zh": "是鞍点。最后 100 步里损失几乎不变，但极小值比例低于 0.8：超过五分之一的特征值"
               "是负的，沿这些方向损失还能继续下降（初始化随机种子取 0 到 9 都如此）。这些负"
               "特征值比 λmax 小得多，所以普通的梯度下降很难找到这些方向。"},
        summary={"en": "The Hessian spectrum where a real network stalls: negative eigenvalues, "
                       "a saddle point.",
                 "zh": "真实网络卡住处的海森矩阵谱：有负特征值，是鞍点。"},
        facts=("2", "114", "1", "100", "0.8", "9")),
    Lesson(
        "net_batch_size", "9",
        net_scene(MOONS, [net_run("sgd", 0.5, 8), net_run("sgd", 0.5, 64),
                          net_run("sgd", 0.5)], 256),
        {"en": "Batch size: updates per epoch, noise, time",
         "zh": "批量大小：每轮的更新次数、噪声和时间"},
        {"en": "An epoch is one pass over the 256 training samples, reshuffled into batches "
               "each time. Batch size 8 makes 32 updates per epoch, 64 makes 4, the full "
               "batch makes one. A small batch's gradient comes from few samples, so its "
               "updates are noisy; the full batch's are exact.",
         "zh": "一个 epoch（一轮）是把 256 个训练样本完整看一遍，每一轮都重新打乱再分批。批量"
               "大小为 8 时每轮更新 32 次，为 64 时更新 4 次，全批量只更新一次。小批量的梯度"
               "只来自少数样本，所以更新带噪声；全批量的梯度是精确的。"},
        {"en": "The loss over the whole training set by update, the epochs counter, and the "
               "time per epoch, measured live on this machine.",
         "zh": "按更新次数画出的全训练集损失、epoch 计数，以及在这台机器上实时测得的每轮时间。"},
        {"en": "A batch of 256 samples is 32 times the work of a batch of 8. Is one update "
               "32 times slower? Which batch size finishes an epoch first?",
         "zh": "256 个样本的批量是 8 个样本的 32 倍计算量。一次更新会慢 32 倍吗？哪个批量大小"
               "最先跑完一轮？"},
        {"en": "No: the computation is vectorized, so one update on the full batch takes about "
               "as long as one on 8 samples (see the live timer), and the full batch finishes "
               "an epoch first. The price of small batches is noise: with batch size 8 "
               "over 40% of the updates raise the loss over the whole training set, with 64 "
               "fewer, with the full batch none (for every seed from 0 to 19).",
         "zh": "不会：计算是向量化的，全批量的一次更新和 8 个样本的一次更新用时差不多（看实时"
               "计时），所以全批量最先跑完一轮。小批量的代价是噪声：批量大小为 8 时，超过 40% "
               "的更新让全训练集的损失反而上升，64 时少一些，全批量则一次也没有（0 到 19 "
               "的每个随机种子都如此）。"},
        summary={"en": "Batch sizes 8, 64 and 256 on one network: updates per epoch, noise and "
                       "time.",
                 "zh": "同一个网络上的批量大小 8、64 和 256：每轮更新次数、噪声和时间。"},
        facts=("32", "4", "40%", "19")),
    Lesson(
        "net_sharp_flat", "9",
        net_scene(SINE, [net_run("sgd", 0.1, 8), net_run("sgd", 0.1)], 800),
        {"en": "Sharp and flat minima: small vs large batch",
         "zh": "尖锐与平坦的极小值：小批量与大批量"},
        {"en": "The notes: large batches tend to end in a canyon (a sharp minimum), small "
               "batches in a basin (a flat one), and if the test loss is the training loss "
               "slightly shifted, at a flat minimum the two differ less. The notes themselves "
               "say this explanation may not be authoritative, and it is still debated. "
               "Sharpness here is λmax, the Hessian's largest eigenvalue at the end point.",
         "zh": "讲义的说法：大批量倾向于走进峡谷（尖锐的极小值），小批量倾向于走进盆地（平坦的"
               "极小值）；如果测试损失是训练损失稍作平移，在平坦的极小值上，两者的结果相差"
               "不大。讲义自己也说这个解释不一定权威，它至今仍有争议。这里的尖锐程度是终点处"
               "海森矩阵的最大特征值 λmax。"},
        {"en": "λmax at the end of each run, and the train and test losses side by side.",
         "zh": "每次运行终点的 λmax，以及并排显示的训练损失和测试损失。"},
        {"en": "Which run ends in the flatter place, batch size 8 or the full batch? Does the "
               "flatter one have the smaller gap between test and training loss?",
         "zh": "哪次运行的终点更平坦：批量大小 8 还是全批量？更平坦的那个，测试损失和训练损失"
               "之间的差距也更小吗？"},
        {"en": "Batch size 8 ends flatter: a lower λmax than the full batch for every seed "
               "from 0 to 9. The gap between test and training loss, though, is not "
               "reliably smaller: which run has the smaller gap changes with the seed. The "
               "observation holds here; the explanation is the debated part.",
         "zh": "批量大小 8 的终点更平坦：0 到 9 的每个随机种子下，它的 λmax 都比全批量低。但测试"
               "损失和训练损失之间的差距并不总是更小：哪次运行的差距更小，随随机种子而变。"
               "现象在这里成立；有争议的是它的解释。"},
        summary={"en": "Batch size 8 against the full batch: the end point's sharpness and the "
                       "train/test gap.",
                 "zh": "批量大小 8 对比全批量：终点的尖锐程度和训练/测试差距。"},
        facts=("9",)),
    Lesson(
        "net_edge_of_stability", "9",
        net_scene(SINE_EOS, [net_run("sgd", 0.14)], 1000, sharpness_every=20),
        {"en": "The edge of stability", "zh": "稳定性的边缘"},
        {"en": "On a bowl, gradient descent is stable only while λmax < 2/η. A network's "
               "curvature is not fixed: while it trains, its sharpness λmax tends to rise "
               "(Cohen et al. call what happens next the edge of stability).",
         "zh": "在碗形曲面上，只有当 λmax < 2/η 时梯度下降才稳定。网络的曲率不是固定的：训练"
               "过程中它的尖锐程度 λmax 往往会上升（Cohen 等人把接下来发生的事叫作"
               "稳定性的边缘）。"},
        {"en": "The sharpness chart: λmax by step against the line 2/η.",
         "zh": "尖锐程度图：λmax 随步数的变化，以及 2/η 那条线。"},
        {"en": "λmax starts below 2/η. Will it keep rising past 2/η and make the run diverge?",
         "zh": "λmax 一开始低于 2/η。它会一直升过 2/η，让训练发散吗？"},
        {"en": "No: λmax rises until it comes within 5% of 2/η, then hovers there, staying "
               "within 15% of 2/η until the last step, while the loss still ends far "
               "below where it started (for every initialization seed from 0 to 19 and "
               "learning rates within 10%).",
         "zh": "不会：λmax 一直上升，直到离 2/η 不到 5%，然后就在那附近徘徊，直到最后一步都"
               "保持在 2/η 的 15% 以内，而损失最终仍远低于起点（初始化随机种子取 0 到 19、学习率"
               "上下浮动 10% 都如此）。"},
        summary={"en": "Full-batch gradient descent's sharpness rises to 2/η and hovers there.",
                 "zh": "全批量梯度下降的尖锐程度升到 2/η，然后在那里徘徊。"},
        facts=("5%", "15%", "19", "10%")),
    Lesson(
        "net_warmup", "9",
        net_scene(SINE_RELU, [net_run("sgd", 0.2),
                              net_run("sgd", 0.2, schedule="constant",
                                      schedule_params=WARMUP_200)], 600, sharpness_every=20),
        {"en": "Warm-up lets a large learning rate survive", "zh": "预热让大的学习率活下来"},
        {"en": "On a bowl gradient descent needs η < 2/λmax; a network's λmax changes as it "
               "trains. "
               "Here it starts above 20, so 2/λmax is below 0.1 and η = 0.2 is far too "
               "large for the start. Warm-up begins at 1% of η and raises it linearly over "
               "the first 200 steps; the network trains meanwhile and its curvature changes.",
         "zh": "在碗形曲面上，梯度下降需要 η < 2/λmax；而网络的 λmax 会随训练而变。"
               "这里它一开始就超过 20，所以 2/λmax 低于 0.1，η = 0.2 对起点来说太大了。"
               "预热从 η 的 1% 开始，在前 200 步里线性地把它升上去；"
               "这期间网络一直在训练，它的曲率也在变。"},
        {"en": "The two loss curves, and the sharpness chart: λmax against 2/η while η grows.",
         "zh": "两条损失曲线，以及尖锐程度图：η 增大时 λmax 与 2/η 的对比。"},
        {"en": "Both runs use the same learning rate 0.2, one after a warm-up. Which of them "
               "trains?",
         "zh": "两次运行用的是同一个学习率 0.2，其中一次先预热。哪一次能训练成功？"},
        {"en": "Only the one with warm-up. Without it the loss blows up and the run diverges "
               "within 10 steps. With warm-up λmax falls while η is still small, and the "
               "run ends with a loss below 0.05, its λmax within 15% of 2/η, at the edge of "
               "stability (for every initialization seed from 0 to 19 and learning rates "
               "within 10%).",
         "zh": "只有预热的那次。没有预热时损失爆炸，10 步之内就发散了。有预热时，λmax 在 η "
               "还小的时候就降了下来，最终损失低于 0.05，λmax 在 2/η 的 15% 以内，正处在"
               "稳定性的边缘（初始化随机种子取 0 到 19、学习率上下浮动 10% 都如此）。"},
        summary={"en": "The same large learning rate with and without warm-up: one diverges, "
                       "one trains.",
                 "zh": "同一个大学习率，有预热和没有预热：一个发散，一个训练成功。"},
        facts=("20", "0.1", "1%", "10", "0.05", "15%", "19", "10%")),
    Lesson(
        "net_slice_planes", "9",
        net_scene(MOONS_SLICE, [net_run("sgd", 0.5)], 200, plane="pca"),
        {"en": "Why a random slice hides the path", "zh": "为什么随机切面会藏住路径"},
        {"en": "A picture of the loss shows a 2D plane through the 82-dimensional parameter "
               "space. Two random directions (filter-normalized, as in Li et al.) almost "
               "never contain the path; the plane of the path's top two principal directions "
               "(PCA) does, as far as a plane can. The projection error says how much the "
               "picture hides.",
         "zh": "损失的图画的是 82 维参数空间里的一个二维平面。两个随机方向（按 Li 等人"
               "的做法逐个滤波器归一化）几乎从不包含训练路径；由路径的前两个主成分方向（PCA）"
               "张成的平面则尽可能地包含它。投影误差告诉你这张图藏住了多少。"},
        {"en": "The start point's distance from the plane and the projection error, in the "
               "PCA plane and then in a random plane.",
         "zh": "起点到平面的距离和投影误差，先看 PCA 平面，再看随机平面。"},
        {"en": "In which plane does the path's start lie closer to the slice?",
         "zh": "在哪个平面里，路径的起点离切面更近？"},
        {"en": "The PCA plane: its two directions carry over 90% of the path's variance and "
               "keep over 95% of the path's length from start to end, and the start lies at "
               "most half as far from it as from a random plane. A random plane keeps at most "
               "55% of that length, about a quarter on average (for every initialization seed "
               "from 0 to 9 and random seeds 0 to 4). Even the PCA plane is not exact: read "
               "the projection error before trusting the picture.",
         "zh": "PCA 平面：它的两个方向占了路径方差的 90% 以上，保留了路径从起点到终点长度的 "
               "95% 以上，起点到它的距离最多是到随机平面距离的一半。随机平面最多只保留这段"
               "长度的 55%，平均约四分之一（初始化随机种子取 0 到 9、随机方向种子取 0 到 4 "
               "都如此）。PCA 平面也不是精确的：相信这张图之前，先看投影误差。"},
        variant={"label": {"en": "A random plane", "zh": "随机平面"},
                 "scene": net_scene(MOONS_SLICE, [net_run("sgd", 0.5)], 200,
                                    plane="random")},
        summary={"en": "The same path in the PCA plane and in a random plane, with the "
                       "projection error.",
                 "zh": "同一条路径在 PCA 平面和随机平面里的样子，以及投影误差。"},
        facts=("82", "90%", "95%", "55%", "9", "4")),
]
