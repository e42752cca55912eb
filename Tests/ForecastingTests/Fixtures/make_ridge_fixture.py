#!/usr/bin/env python3
"""Makes ridge_fixture.json: inputs and scikit-learn's Ridge results, in full double precision.

Run once (needs `pip install scikit-learn numpy`); the Swift tests read the committed JSON and
never need Python:  python3 make_ridge_fixture.py > ridge_fixture.json
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def case(name, rng, n, p, alpha, scale_columns, standardize):
    x = rng.normal(size=(n, p)) * scale_columns + rng.normal(size=p) * 3
    x[:, 1] = 0.8 * x[:, 0] + 0.2 * x[:, 1]  # correlated columns
    beta = rng.normal(size=p)
    y = x @ beta + 0.7 + rng.normal(scale=0.5, size=n)
    x_test = rng.normal(size=(20, p)) * scale_columns
    if standardize:
        model = make_pipeline(StandardScaler(), Ridge(alpha=alpha, fit_intercept=True))
        model.fit(x, y)
        scaler, ridge = model[0], model[1]
        extra = {"scaler_mean": scaler.mean_.tolist(), "scaler_scale": scaler.scale_.tolist()}
    else:
        ridge = model = Ridge(alpha=alpha, fit_intercept=True).fit(x, y)
        extra = {}
    return {
        "name": name, "alpha": alpha, "standardize": standardize,
        "x": x.tolist(), "y": y.tolist(), "x_test": x_test.tolist(),
        "coef": ridge.coef_.tolist(), "intercept": float(ridge.intercept_),
        "predictions_test": model.predict(x_test).tolist(), **extra,
    }


def main():
    rng = np.random.default_rng(20260521)
    scales = np.array([1.0, 5.0, 0.01, 100.0, 2.0, 0.3])
    cases = [
        case("pipeline_standard_scaler_ridge", rng, 300, 6, 1.5, scales, True),
        case("pipeline_strong_penalty", rng, 120, 6, 250.0, scales, True),
        case("ridge_centred_unscaled", rng, 200, 6, 0.75, scales, False),
    ]
    json.dump({"sklearn_version": sklearn.__version__, "cases": cases}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
