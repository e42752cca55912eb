/// Binance archive and REST, CoinGecko, kline zip/CSV codecs and the kline warehouse.
public enum MarketData {}
