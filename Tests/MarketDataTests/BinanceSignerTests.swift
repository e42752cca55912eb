import Foundation
import Testing

@testable import MarketData

/// The worked examples of Binance's spot API documentation, "Request security" → "SIGNED Endpoint
/// Examples for POST /api/v3/order - HMAC Keys"
/// (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/request-security).
/// The key and secret are the documentation's public example, nobody's credentials.
@Suite struct BinanceSignerTests {
    static let apiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    static let secretKey = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
    static let parameters = [
        ("symbol", "LTCBTC"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1"), ("price", "0.1"),
    ]

    @Test func theDocumentedASCIIExampleIsReproduced() {
        let signer = BinanceSigner(apiKey: Self.apiKey, secretKey: Self.secretKey)
        let payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
        #expect(signer.signature(of: payload) == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")
        let query = signer.signedQuery(Self.parameters, timestamp: 1_499_827_319_559, recvWindow: 5_000)
        #expect(query == payload + "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")
        #expect(signer.verifies("C8DB56825AE71D6D79447849E617115F4A920FA2ACDCAB2B053C4B2838BD6B71", payload: payload))
        #expect(!signer.verifies("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b70", payload: payload))
    }

    /// The second example: a symbol of full-width digits, percent-encoded as UTF-8 before signing.
    @Test func theDocumentedUnicodeExampleIsReproduced() {
        let signer = BinanceSigner(apiKey: Self.apiKey, secretKey: Self.secretKey)
        var parameters = Self.parameters
        parameters[0].1 = "１２３４５６"
        let query = signer.signedQuery(parameters, timestamp: 1_499_827_319_559)
        #expect(
            query.hasPrefix(
                "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature="
            ))
        #expect(query.hasSuffix("&signature=e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"))
    }
}
