#!/usr/bin/env python3
"""Generate extra TA-Lib 0.8.x golden cases for IndicatorsTests.

Run once with PyPI `ta-lib==0.8.2` (bundles TA-Lib C 0.8.1) and numpy:

    pip install ta-lib==0.8.2 numpy
    python3 Tests/IndicatorsTests/Fixtures/generate.py

It writes `cases/<name>.csv`. The outputs are committed; the Swift tests never run Python.

File format (one case per file):
    line 1: `# talib <C version> params: sma=7 ema=9 rsi=5 macd=5,13,4 bbands=10,1.5,2.5 atr=7 stoch=9,4,2 adx=7`
    line 2: header `high,low,close,volume,sma,ema,rsi,macd,macd_signal,macd_hist,bb_upper,bb_middle,bb_lower,atr,obv,vwap,stoch_k,stoch_d,adx`
    then one row per bar; every value is Python `repr` of the double (`NaN` when undefined).
Inputs are generated from fixed seeds, so re-running reproduces the files exactly.
"""
import math
import os

import numpy as np
import talib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")

DEFAULT = dict(sma=20, ema=20, rsi=14, macd=(12, 26, 9), bbands=(20, 2.0, 2.0), atr=14,
               stoch=(5, 3, 3), adx=14)


def fmt(v):
    v = float(v)
    return "NaN" if math.isnan(v) else repr(v)


def write_case(name, high, low, close, volume, p):
    high, low, close, volume = (np.asarray(a, dtype=np.float64) for a in (high, low, close, volume))
    f, s, g = p["macd"]
    bp, up, dn = p["bbands"]
    fk, sk, sd = p["stoch"]
    cols = [high, low, close, volume,
            talib.SMA(close, p["sma"]), talib.EMA(close, p["ema"]), talib.RSI(close, p["rsi"])]
    cols += list(talib.MACD(close, f, s, g))
    cols += list(talib.BBANDS(close, bp, up, dn, 0))
    cols += [talib.ATR(high, low, close, p["atr"]), talib.OBV(close, volume),
             talib.VWAP(high, low, close, volume)]
    cols += list(talib.STOCH(high, low, close, fk, sk, 0, sd, 0))
    cols += [talib.ADX(high, low, close, p["adx"])]
    params = "sma={} ema={} rsi={} macd={},{},{} bbands={},{},{} atr={} stoch={},{},{} adx={}".format(
        p["sma"], p["ema"], p["rsi"], f, s, g, bp, repr(float(up)), repr(float(dn)), p["atr"], fk, sk, sd, p["adx"])
    version = talib.__ta_version__.decode().split(" ")[0]
    with open(os.path.join(OUT, name + ".csv"), "w") as out:
        out.write("# talib {} params: {}\n".format(version, params))
        out.write("high,low,close,volume,sma,ema,rsi,macd,macd_signal,macd_hist,bb_upper,bb_middle,"
                  "bb_lower,atr,obv,vwap,stoch_k,stoch_d,adx\n")
        for i in range(len(close)):
            out.write(",".join(fmt(c[i]) for c in cols) + "\n")


def walk(rng, n, price, step):
    """A random walk of closes around `price` with relative step `step`, and bars around it."""
    close = price * np.exp(np.cumsum(rng.normal(0.0, step, n)))
    prev = np.concatenate([[close[0]], close[:-1]])
    spread = np.abs(rng.normal(0.0, step, n)) * close
    high = np.maximum(prev, close) + spread * rng.random(n)
    low = np.minimum(prev, close) - spread * rng.random(n)
    volume = np.round(rng.exponential(5.0, n), 5)
    return high, low, close, volume


def read_klines(path):
    rows = [line.split(",") for line in open(path).read().split("\n") if line]
    return [np.array([float(r[i]) for r in rows]) for i in (2, 3, 4, 5)]


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240921)

    # The real BTC day with other periods (uneven bands, short windows).
    h, l, c, v = read_klines(os.path.join(HERE, "BTCUSDT-1m-2024-09-21.csv"))
    write_case("btc-day-periods", h, l, c, v, dict(sma=7, ema=9, rsi=5, macd=(5, 13, 4),
               bbands=(10, 1.5, 2.5), atr=7, stoch=(9, 4, 2), adx=7))
    write_case("btc-day-slow-fast-swapped", h, l, c, v, dict(sma=50, ema=100, rsi=30, macd=(26, 12, 9),
               bbands=(30, 1.0, 1.0), atr=30, stoch=(14, 1, 1), adx=30))

    # A stochastic window longer than the direct-scan limit (TA-Lib's rescan-on-exit path).
    write_case("btc-day-long-windows", h, l, c, v, dict(sma=60, ema=60, rsi=21, macd=(19, 39, 9),
               bbands=(40, 2.0, 2.0), atr=21, stoch=(21, 5, 4), adx=21))

    # The synthetic edge cases (flat runs, zero volume, tiny prices) with minimal periods.
    h, l, c, v = read_klines(os.path.join(HERE, "SYNTHUSDT-1m-edge-cases.csv"))
    write_case("edge-minimal-periods", h, l, c, v, dict(sma=1, ema=1, rsi=2, macd=(2, 3, 1),
               bbands=(2, 1.0, 3.0), atr=1, stoch=(1, 1, 1), adx=2))
    write_case("edge-periods", h, l, c, v, dict(sma=5, ema=3, rsi=7, macd=(3, 10, 16),
               bbands=(5, 2.0, 2.0), atr=3, stoch=(3, 2, 5), adx=5))

    # Random walks at micro and large price scales (micro-priced coins, BTC-like scale).
    write_case("walk-micro-1e-5", *walk(rng, 3000, 1e-5, 0.001), DEFAULT)
    h, l, c, v = walk(rng, 3000, 1e5, 0.0005)
    h[1700] *= 1.5  # an outlier high passing through the windows
    c[2100] *= 1.3  # an outlier close: the rolling variance must re-anchor when it leaves
    h[2100] = max(h[2100], c[2100])
    write_case("walk-large-1e5", h, l, c, v, DEFAULT)

    # Flat gaps: runs of bars with open = high = low = close, with and without volume, and a
    # leading run with no volume at all (VWAP is 0.0 until something trades).
    h, l, c, v = walk(rng, 2500, 100.0, 0.002)
    v[:30] = 0.0
    for start, length, zero_volume in ((200, 80, False), (900, 40, True), (1600, 300, False), (2300, 200, True)):
        end = start + length
        c[start:end] = c[start - 1]
        h[start:end] = c[start - 1]
        l[start:end] = c[start - 1]
        if zero_volume:
            v[start:end] = 0.0
    write_case("walk-flat-gaps", h, l, c, v, DEFAULT)

    # Series shorter than (or just at) the lookbacks.
    h, l, c, v = walk(rng, 40, 50.0, 0.01)
    for n in (1, 2, 10, 20, 27, 28, 33, 34):
        write_case("short-{}".format(n), h[:n], l[:n], c[:n], v[:n], DEFAULT)


if __name__ == "__main__":
    main()
