import Foundation
import MarketData

/// The sandbox's trading accounts: balances by asset (integers scaled by 10^8, as Binance's
/// 8-decimal text), orders and trades numbered from 1. Market orders fill at once at the synthetic
/// market's price; the fee is taken from what was received, as on Binance.
final class SandboxTradingDesk: Sendable {
    /// The public example pair of Binance's "Request security" page: nobody's credentials.
    static let exampleAPIKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    static let exampleSecretKey = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"

    struct Account {
        var balances: [String: Int64]
        var updateTime: Int64 = 0
    }

    struct Fill {
        var orderId: Int64
        var tradeId: Int64
        var executedQuantity: Int64
        var quoteQuantity: Int64
        var commission: Int64
        var commissionAsset: String
    }

    enum Refusal: Error, Equatable {
        case insufficientBalance
    }

    let signers: [String: BinanceSigner]
    private let state: Locked<(accounts: [String: Account], nextOrder: Int64, nextTrade: Int64)>

    init(keys: [String: String], balances: [String: Int64]) {
        var signers: [String: BinanceSigner] = [:]
        var accounts: [String: Account] = [:]
        for (apiKey, secret) in keys {
            signers[apiKey] = BinanceSigner(apiKey: apiKey, secretKey: secret)
            accounts[apiKey] = Account(balances: balances)
        }
        self.signers = signers
        self.state = Locked((accounts, 1, 1))
    }

    func account(_ apiKey: String) -> Account? { state.withLock { $0.accounts[apiKey] } }

    /// A market order of `quantity` base units (10^8 scale) at `price` (quote per base, 10^8 scale),
    /// or of `quoteQuantity` quote units for a buy; the taker fee in basis points of what is received.
    func fillMarket(
        apiKey: String, base: String, quote: String, buy: Bool, quantity: Int64?, quoteQuantity: Int64?, price: Int64,
        feeBasisPoints: Int64, now: Int64
    ) -> Result<Fill, Refusal> {
        state.withLock { state in
            var account = state.accounts[apiKey] ?? Account(balances: [:])
            // Quantities are 8-decimal integers; a base quantity worth `quoteQuantity` rounds down.
            let executed = quantity ?? Int64((Double(quoteQuantity ?? 0) / Double(price) * 1e8).rounded(.down))
            let cost = Int64((Double(executed) * Double(price) / 1e8).rounded())
            // A buy pays `cost` in the quote and receives the base less the fee; a sell the reverse.
            let (paid, paidAmount, received, receivedAmount) = buy ? (quote, cost, base, executed) : (base, executed, quote, cost)
            guard (account.balances[paid] ?? 0) >= paidAmount else { return .failure(.insufficientBalance) }
            let fee = receivedAmount * feeBasisPoints / 10_000
            account.balances[paid, default: 0] -= paidAmount
            account.balances[received, default: 0] += receivedAmount - fee
            account.updateTime = now
            state.accounts[apiKey] = account
            defer { state.nextOrder += 1; state.nextTrade += 1 }
            return .success(
                Fill(
                    orderId: state.nextOrder, tradeId: state.nextTrade, executedQuantity: executed, quoteQuantity: cost, commission: fee,
                    commissionAsset: received))
        }
    }
}
