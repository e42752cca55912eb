"""The market and models pages in a real browser, over a home the demo filled: what the chart
draws for a symbol and a range equals what the market API returns for it."""

import datetime
import urllib.parse
from decimal import Decimal

import pytest
from selenium.webdriver.common.by import By

from conftest import require_page, visit

INTERVAL = "1h"


def css(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector)


def all_css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def symbol_range(market_api):
    """A tracked symbol with candles and a prediction, and the two days of candles before its last
    one (ISO 8601 bounds: `from` inclusive, `to` exclusive)."""
    symbols = market_api.get("/api/market/v1/symbols?limit=100")["symbols"]
    predicted = {p["symbol"]: p for p in market_api.get("/api/market/v1/predictions/latest")["predictions"]}
    chosen = next(s for s in symbols if s["rows"] and s["symbol"] in predicted)
    end = parse_time(chosen["last_open_time"]) + datetime.timedelta(minutes=1)
    start = end - datetime.timedelta(days=2)
    iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
    return chosen["symbol"], iso(start), iso(end), predicted[chosen["symbol"]]


def test_the_chart_draws_the_candles_the_api_returns_for_the_range(market_server, market_driver, market_api, symbol_range):
    symbol, start, end, prediction = symbol_range
    query = urllib.parse.urlencode({"interval": INTERVAL, "from": start, "to": end})
    url = market_server.url + f"/market/{symbol}?{query}"
    require_page(market_driver, url, "market symbol")
    candles = market_api.get(f"/api/market/v1/symbols/{symbol}/candles?{query}")["candles"]
    assert len(candles) > 24, "the range holds candles"

    visit(market_driver, url, "market-symbol")
    chart = css(market_driver, "svg.chart.candles")
    drawn = chart.find_elements(By.CSS_SELECTOR, ".candle")
    assert len(drawn) == len(candles) == int(chart.get_attribute("data-count"))
    assert Decimal(chart.get_attribute("data-high")) == max(Decimal(c["high"]) for c in candles)
    assert Decimal(chart.get_attribute("data-low")) == min(Decimal(c["low"]) for c in candles)

    for panel in ("rsi", "macd", "volume"):
        assert all_css(market_driver, f"svg.chart.{panel}"), f"the {panel} panel"
    assert all_css(market_driver, "svg.chart.gaps"), "the gaps heatmap"
    predictions = css(market_driver, "[data-predictions]")
    if parse_time(start) <= parse_time(prediction["time"]) < parse_time(end):
        assert int(predictions.get_attribute("data-predictions")) >= 1, f"the prediction at {prediction['time']}"


def test_the_market_and_models_pages_open_without_console_errors(market_server, market_driver, symbol_range):
    symbol = symbol_range[0]
    for path, name in (("/market", "market"), ("/models", "models")):
        require_page(market_driver, market_server.url + path, name)
        visit(market_driver, market_server.url + path, name)
    assert symbol in market_driver.find_element(By.TAG_NAME, "main").text, "the models page lists the symbol"
