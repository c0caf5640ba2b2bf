// Generated from gradscape/palette.py by scripts/make_palette_js.py: do not edit.
// (tests/test_palette.py fails when this file is stale.)

export const OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"};
export const RUN_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
export const RUN_SHAPES = ["circle", "square", "triangle", "diamond", "star", "hexagon", "cross"];
export const OPTIMIZER_SLOTS = ["adam", "sgd", "momentum", "rmsprop", "nesterov", "adagrad", "adamw", "newton", "saddle_free_newton"];
export const EIGEN_POSITIVE = "#1a1a1a";
export const EIGEN_NEGATIVE = "#882255";
export const CRITICAL_KINDS = {"minimum": {"shape": "circle", "color": "#1a1a1a"}, "maximum": {"shape": "triangle", "color": "#1a1a1a"}, "saddle": {"shape": "cross", "color": "#882255"}, "degenerate": {"shape": "diamond", "color": "#555555"}};
export const SURFACE_STOPS = [[0.0, [160, 180, 200]], [0.25, [192, 207, 219]], [0.5, [216, 227, 228]], [0.75, [238, 234, 214]], [1.0, [250, 236, 212]]];
export const BASIN_BASE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"];
