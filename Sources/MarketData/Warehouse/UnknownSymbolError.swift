/// A CoinGecko id the `symbol` table does not hold.
public struct UnknownSymbolError: Error, Sendable, CustomStringConvertible {
    /// The id asked for.
    public var id: String
    public var description: String { "unknown symbol '\(id)' (not in the warehouse's symbol table)" }
}
