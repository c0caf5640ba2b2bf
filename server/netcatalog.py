"""What the Network mode builds its editor and its first race from: the data sets' previews,
each optimizer's first settings for a network, and the race a bare link opens.

The browser keeps no copy of these (frontend/js/network/scene.js installs them from GET
/api/network/datasets), so a data set, an optimizer or a default changes in one place.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from gradscape.core.netdata import make_data
from gradscape.core.training import network_defaults
from gradscape.server.config import Settings
from gradscape.server.netschemas import NetPreviewOut, NetRaceRequest
from gradscape.server.networks import check_race

PREVIEW_SAMPLES = 60
# A first look that trains visibly in a few seconds: four optimizers of different families
# from one initialization, with λmax sampled often enough to draw its curve.
FIRST_RACE = ("sgd", "momentum", "adam", "rmsprop")


@cache
def preview(dataset: str) -> NetPreviewOut:
    """The data set's own generator at its default noise (seed 0): the picker shows the real
    points, not a sketch of them. Rounded: 60 points of a thumbnail."""
    data = make_data(dataset, samples=PREVIEW_SAMPLES, test_samples=1, seed=0)
    x = np.round(data.X, 3).tolist()
    y = np.round(np.asarray(data.y, dtype=np.float64).reshape(-1), 3).tolist()
    return NetPreviewOut(x=x, y=y)


def default_request(settings: Settings) -> NetRaceRequest:
    """The first race, within this server's limits: sizes left to their defaults are lowered
    to a stricter server's (as for any request), so a bare link races on any server."""
    runs = [{"optimizer": o, "params": network_defaults()[o]} for o in FIRST_RACE]
    request = NetRaceRequest.model_validate({"network": {"dataset": "moons"}, "runs": runs,
                                             "sharpness_every": 10})
    check_race(request, settings)
    return request
