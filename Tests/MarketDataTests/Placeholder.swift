import Testing
@testable import MarketData
