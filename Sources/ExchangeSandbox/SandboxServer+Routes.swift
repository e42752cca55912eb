import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

extension SandboxServer {
    /// One router for every API; paths tell them apart (CoinGecko's `/api/v3/coins/…` and Binance's
    /// `/api/v3/exchangeInfo|klines` do not collide).
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("api/v3/coins/markets") { request, _ in
            await self.serve(.coinsMarkets, request) { _ in self.coinsMarkets(request.uri.queryParameters) }
        }
        router.get("api/v3/exchangeInfo") { request, _ in
            await self.serve(.exchangeInfo, request) { _ in
                self.binanceWeighted(weight: 20) { self.exchangeInfo() }
            }
        }
        router.get("api/v3/klines") { request, _ in
            await self.serve(.klines, request) { _ in
                self.binanceWeighted(weight: 2) {
                    self.klines(request.uri.queryParameters, microseconds: Self.wantsMicroseconds(request.headers))
                }
            }
        }
        router.get("data/spot/:cadence/klines/:symbol/:interval/:file") { request, context in
            let file = context.parameters.get("file") ?? ""
            let key = String(request.uri.path.dropFirst())
            if file.hasSuffix(".CHECKSUM") {
                return await self.serve(.archiveChecksum, request) { faults in self.archiveChecksum(key: key, faults: faults) }
            }
            return await self.serve(.archiveZip, request) { _ in self.archiveZip(key: key) }
        }
        router.get("data.binance.vision") { request, _ in
            await self.serve(.listing, request) { _ in self.listing(request.uri.queryParameters) }
        }
        router.get("api/v3/account") { request, _ in
            await self.serve(.trading, request) { _ in
                self.binanceWeighted(weight: 20) { self.account(request.uri.query ?? "", body: "", headers: request.headers) }
            }
        }
        router.post("api/v3/order") { request, _ in
            let body = (try? await request.body.collect(upTo: 65_536)).map { String(buffer: $0) } ?? ""
            return await self.serve(.trading, request) { _ in
                self.binanceWeighted(weight: 1) { self.order(request.uri.query ?? "", body: body, headers: request.headers) }
            }
        }
        for (path, service) in [
            ("__receivers/webhook", SandboxReceivedMessage.Service.webhook),
            ("__receivers/slack/services/:team/:channel/:secret", .slack),
            ("__receivers/discord/api/webhooks/:id/:token", .discord),
            (":bot/sendMessage", .telegram),
        ] {
            router.post(RouterPath(path)) { request, _ in
                let body = (try? await request.body.collect(upTo: 1 << 20)).map { Array(buffer: $0) } ?? []
                if service == .telegram, !(request.uri.path.dropFirst().hasPrefix("bot")) {
                    return SandboxReply.json(#"{"ok":false,"error_code":404,"description":"Not Found"}"#, status: .notFound).response()
                }
                return await self.serve(.receivers, request) { _ in self.receive(service, request, body: body) }
            }
        }
        router.get("0/public/AssetPairs") { request, _ in await self.serve(.kraken, request) { _ in self.krakenAssetPairs() } }
        router.get("0/public/OHLC") { request, _ in
            await self.serve(.kraken, request) { _ in self.krakenOHLC(request.uri.queryParameters) }
        }
        router.get("0/public/Trades") { request, _ in
            await self.serve(.kraken, request) { _ in self.krakenTrades(request.uri.queryParameters) }
        }
        router.get("api/v2/symbols") { request, _ in await self.serve(.kucoin, request) { _ in self.kucoinSymbols() } }
        router.get("api/v1/market/candles") { request, _ in
            await self.serve(.kucoin, request) { _ in self.kucoinCandles(request.uri.queryParameters) }
        }
        router.get("poloniex/markets") { request, _ in await self.serve(.poloniex, request) { _ in self.poloniexMarkets() } }
        router.get("poloniex/markets/:symbol/candles") { request, context in
            let symbol = context.parameters.get("symbol") ?? ""
            return await self.serve(.poloniex, request) { _ in self.poloniexCandles(symbol: symbol, request.uri.queryParameters) }
        }
        router.get("__sandbox/faults") { _, _ in self.faultsReply().response() }
        router.delete("__sandbox/faults") { _, _ in
            self.clearFaults()
            return self.faultsReply().response()
        }
        router.post("__sandbox/faults") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            do {
                let rules = try Self.decodeRules(Data(buffer: body))
                rules.forEach(self.faultBoard.arm)
                return self.faultsReply().response()
            } catch {
                return SandboxReply.json("{\"error\":\(jsonString("bad fault rule: \(error)"))}", status: .badRequest).response()
            }
        }
        return router
    }

    /// Applies the route's armed faults around the real handler.
    func serve(
        _ route: SandboxRoute, _ request: Request,
        _ handler: @Sendable ([SandboxFault]) async -> SandboxReply
    ) async -> Response {
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let gzip = request.headers[.acceptEncoding]?.contains("gzip") ?? false
        let faults = faultBoard.take(route: route, target: target)
        for case .latency(let milliseconds) in faults {
            try? await Task.sleep(for: .milliseconds(milliseconds))
        }
        for fault in faults {
            switch fault {
            case .status(let code): return failure(route, status: code, retryAfter: nil).response(acceptsGzip: gzip)
            case .rateLimited(let seconds): return failure(route, status: 429, retryAfter: seconds).response(acceptsGzip: gzip)
            case .banned(let seconds): return failure(route, status: 418, retryAfter: seconds).response(acceptsGzip: gzip)
            default: continue
            }
        }
        var reply = await handler(faults)
        for case .truncatedBody(let bytes) in faults {
            reply.body = Array(reply.body.prefix(max(0, bytes)))
            return reply.response()
        }
        for case .droppedConnection(let bytes) in faults {
            var response = reply.response()
            response.headers[.connection] = "close"
            let part = ByteBuffer(bytes: reply.body.prefix(max(0, bytes)))
            response.body = ResponseBody { writer in
                try await writer.write(part)
                throw SandboxError(message: "sandbox fault: connection dropped after \(bytes) bytes")
            }
            response.headers[.contentLength] = String(reply.body.count)
            return response
        }
        return reply.response(acceptsGzip: gzip)
    }

    /// The error each API sends for a status, in its own shape.
    private func failure(_ route: SandboxRoute, status: Int, retryAfter: Int?) -> SandboxReply {
        var reply: SandboxReply
        switch (route, status) {
        case (.coinsMarkets, 429):
            reply = .coinGeckoError(
                429,
                "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits."
            )
        case (.coinsMarkets, _):
            reply = .coinGeckoError(status, "Internal server error (sandbox fault \(status))")
        case (.exchangeInfo, 429), (.klines, 429), (.trading, 429):
            reply = .binanceError(
                -1003,
                "Too much request weight used; current limit is \(configuration.binanceWeightLimit) request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
                status: .tooManyRequests)
        case (.exchangeInfo, 418), (.klines, 418), (.trading, 418):
            let until = Int64(now.addingTimeInterval(Double(retryAfter ?? 120)).timeIntervalSince1970 * 1000)
            reply = .binanceError(
                -1003,
                "Way too much request weight used; IP banned until \(until). Please use WebSocket Streams for live updates to avoid bans.",
                status: HTTPResponse.Status(code: 418))
        case (.exchangeInfo, _), (.klines, _), (.trading, _):
            reply = .binanceError(
                -1000, "An unknown error occurred while processing the request.",
                status: HTTPResponse.Status(code: status))
        case (.kraken, 429):
            reply = .json(#"{"error":["EGeneral:Too many requests"]}"#, status: .tooManyRequests)
        case (.kraken, _):
            reply = .json(#"{"error":["EService:Unavailable"]}"#, status: HTTPResponse.Status(code: status))
        case (.kucoin, 429):
            reply = .json(#"{"code":"429000","msg":"Too Many Requests"}"#, status: .tooManyRequests)
        case (.kucoin, _):
            reply = .json(#"{"code":"500000","msg":"Internal Server Error"}"#, status: HTTPResponse.Status(code: status))
        case (.poloniex, 429):
            reply = .json(#"{"code":429,"message":"Too many requests"}"#, status: .tooManyRequests)
        case (.poloniex, _):
            reply = .json(
                "{\"code\":\(status),\"message\":\"Internal error (sandbox fault \(status))\"}", status: HTTPResponse.Status(code: status))
        case (.receivers, 429):
            reply = .json(
                "{\"message\": \"You are being rate limited.\", \"retry_after\": \(retryAfter ?? 1), \"global\": false}",
                status: .tooManyRequests)
        case (.receivers, _):
            reply = .json("{\"message\": \"sandbox fault \(status)\"}", status: HTTPResponse.Status(code: status))
        default:
            reply = .xml(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>\(status == 429 || status == 503 ? "SlowDown" : "InternalError")</Code><Message>Sandbox fault \(status)</Message></Error>
                """, status: HTTPResponse.Status(code: status))
        }
        if let retryAfter { reply.headers.append(("Retry-After", String(retryAfter))) }
        return reply
    }

    private func faultsReply() -> SandboxReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(faultBoard.armed)) ?? Data("[]".utf8)
        return SandboxReply(contentType: "application/json", body: Array(data))
    }

    /// A rule or an array of rules, as `SandboxFaultRule` encodes them, e.g.
    /// `{"route":"klines","fault":{"status":{"_0":503}},"matching":"","times":2}`.
    static func decodeRules(_ data: Data) throws -> [SandboxFaultRule] {
        let decoder = JSONDecoder()
        if let many = try? decoder.decode([SandboxFaultRule].self, from: data) { return many }
        return [try decoder.decode(SandboxFaultRule.self, from: data)]
    }

    static func wantsMicroseconds(_ headers: HTTPFields) -> Bool {
        guard let name = HTTPField.Name("X-MBX-TIME-UNIT") else { return false }
        return headers[name]?.uppercased() == "MICROSECOND"
    }
}
