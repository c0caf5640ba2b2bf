"""What the live network view needs from core beyond the records of a plain training: the
optimizer's state norms per update (against torch.optim's own state buffers) and mid-run
changes of hyperparameters (against torch with its param_group edited at that step), in
core.train and in the stepped NetRace alike."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import gradscape.core as core
import tests.test_network_train as ref
from gradscape.core.netrace import NetRace, NetRunSpec
from gradscape.core.training import MAX_CHANGES
from tests.torch_mlp import data_loss, flat, modules

PROB = ref.PROB
BUFFERS = {"momentum": {"momentum_buffer"}, "nesterov": {"momentum_buffer"},
           "adagrad": {"sum"}, "rmsprop": {"square_avg", "momentum_buffer", "grad_avg"},
           "adam": {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"},
           "adamw": {"exp_avg", "exp_avg_sq"}}


def torch_run(opt_id: str, theta0: np.ndarray, steps: int,
              changes: dict[int, dict[str, Any]] | None = None,
              ) -> tuple[np.ndarray, list[dict[str, float]]]:
    """torch.optim full batch from theta0: the path, and after each step the norm of every
    state buffer torch keeps (over all parameter tensors). `changes`: {k: {name: value}}
    written into the param group before step k (the update leaving iterate k)."""
    make, hp = ref.TORCH[opt_id]
    model = modules(PROB, theta0)
    opt = make(model.parameters(), **hp)
    X = torch.tensor(PROB.X)
    path, norms = [flat(model)], []
    for k in range(steps):
        for name, value in (changes or {}).get(k, {}).items():
            opt.param_groups[0][name] = value
        opt.zero_grad()
        loss = data_loss(PROB, model(X), PROB.y)
        loss = loss + 0.5 * PROB.weight_decay * sum((p * p).sum() for p in model.parameters())
        loss.backward()
        opt.step()
        path.append(flat(model))
        per: dict[str, float] = {}
        for p in model.parameters():
            for name, buf in opt.state[p].items():
                if torch.is_tensor(buf) and buf.shape == p.shape:
                    per[name] = per.get(name, 0.0) + float((buf * buf).sum())
        norms.append({name: np.sqrt(v) for name, v in per.items()})
    return np.array(path), norms


@pytest.mark.parametrize("opt_id", sorted(BUFFERS))
def test_state_norms_equal_torch_optim_state(opt_id: str) -> None:
    theta0 = PROB.init(5)
    tr = core.train(PROB, opt_id, steps=8, start=theta0, **ref.TORCH[opt_id][1])
    path, norms = torch_run(opt_id, theta0, 8)
    np.testing.assert_allclose(tr.thetas, path, rtol=0, atol=1e-9)
    assert set(tr.state_norms) == BUFFERS[opt_id] == set(norms[0])
    for name, got in tr.state_norms.items():
        want = np.array([n[name] for n in norms])
        assert np.all(want > 0)
        np.testing.assert_allclose(got, want, rtol=1e-9)


def test_plain_sgd_and_search_keep_no_state() -> None:
    assert core.train(PROB, "sgd", steps=3, lr=0.1).state_norms == {}
    assert core.train(PROB, "random_local_search", steps=3).state_norms == {}


@pytest.mark.parametrize(("opt_id", "change"), [
    ("adam", {"lr": 0.005}),
    ("momentum", {"lr": 0.2, "momentum": 0.5}),
    ("rmsprop", {"lr": 0.03, "alpha": 0.9}),
])
def test_a_change_at_step_k_equals_torch_with_its_param_group_edited(
        opt_id: str, change: dict[str, float]) -> None:
    theta0 = PROB.init(7)
    hp = ref.TORCH[opt_id][1]
    tr = core.train(PROB, opt_id, steps=30, start=theta0, changes=[(12, change)], **hp)
    path, norms = torch_run(opt_id, theta0, 30, {12: change})
    np.testing.assert_allclose(tr.thetas, path, rtol=0, atol=1e-9)
    for name, got in tr.state_norms.items():
        np.testing.assert_allclose(got, [n[name] for n in norms], rtol=1e-9)
    # the recorded learning rate switches at update 12, not before
    assert np.all(tr.lrs[:12] == hp["lr"]) and np.all(tr.lrs[12:] == change["lr"])
    # and the change does something: without it the path differs after step 12
    plain = core.train(PROB, opt_id, steps=30, start=theta0, **hp)
    np.testing.assert_array_equal(plain.thetas[:13], tr.thetas[:13])
    assert np.abs(plain.thetas[14] - tr.thetas[14]).max() > 1e-6


def test_the_stepped_race_replays_changes_as_core_train() -> None:
    theta0 = PROB.init(2)
    specs = [NetRunSpec("adam", {"lr": 0.02}, changes=[(5, {"lr": 0.002}), (9, {"lr": 0.05})],
                        batch_size=16),
             NetRunSpec("sgd", {"lr": 0.3}, changes=[(4, {"momentum": 0.9})])]
    race = NetRace(PROB, specs, steps=20, start=theta0, seed=3, sharpness_every=4)
    chunks = [race.opening()]
    while not race.done:
        chunks.append(race.advance(3))
    for i, spec in enumerate(specs):
        tr = core.train(PROB, spec.optimizer, steps=20, start=theta0, seed=3,
                        batch_size=spec.batch_size, sharpness_every=4,
                        changes=list(spec.changes), **spec.params)
        mine = [c[i] for c in chunks]
        np.testing.assert_array_equal(np.concatenate([c.thetas for c in mine]), tr.thetas)
        np.testing.assert_array_equal(np.concatenate([c.lrs for c in mine]), tr.lrs)
        np.testing.assert_array_equal(np.concatenate([c.threshold for c in mine]),
                                      tr.threshold)
        assert set(tr.state_norms) == set(mine[-1].state_norms)
        for name, want in tr.state_norms.items():
            got = np.concatenate([c.state_norms.get(name, np.zeros(0)) for c in mine])
            np.testing.assert_array_equal(got, want)
    # momentum switched on at update 4: torch creates its buffer then (zero before here)
    sgd = core.train(PROB, "sgd", steps=20, start=theta0, lr=0.3,
                     changes=[(4, {"momentum": 0.9})])
    assert np.all(sgd.state_norms["momentum_buffer"][:4] == 0)
    assert np.all(sgd.state_norms["momentum_buffer"][4:] > 0)
    # the threshold at a sharpness sample on a change's step uses the new settings: 2/η
    # for gradient descent, (2 + 2β)/η for heavy ball from step 4 on
    assert tr.threshold[:2] == pytest.approx([2 / 0.3, 3.8 / 0.3])


@pytest.mark.parametrize(("changes", "message"), [
    ([(0, {"lr": 0.1})], "changes[0]: Invalid step"),
    ([(5, {"lr": 0.1}), (5, {"lr": 0.2})], "changes[1]: Invalid step"),
    ([(21, {"lr": 0.1})], "changes[0]: Invalid step"),
    ([(3, {"lr": -1})], "changes[0]: Invalid lr"),
    ([(3, {"nesterov": True})], "changes[0]: Invalid nesterov"),
    ([(3, {"colour": 1})], "changes[0]"),
    ([(k, {"lr": 0.1}) for k in range(1, MAX_CHANGES + 2)], "at most 64"),
    ([(2.5, {"lr": 0.1})], "changes[0]: Invalid step"),
])
def test_bad_changes_are_refused_naming_the_change(changes: list[Any], message: str) -> None:
    with pytest.raises(ValueError) as err:
        core.train(PROB, "sgd", steps=20, lr=0.1, changes=changes)
    assert message in str(err.value)
    with pytest.raises(ValueError) as err:
        NetRace(PROB, [NetRunSpec("sgd", {"lr": 0.1}, changes=changes)], steps=20)
    assert message in str(err.value)
