import Foundation
import NIOCore
import NIOPosix

/// A tiny SMTP receiver for tests: it speaks what a client needs to deliver one message
/// (RFC 5321's EHLO/HELO, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA with dot-unstuffing, RSET,
/// NOOP, QUIT) in plain text on loopback, and records each message it accepted. It refuses
/// MAIL before AUTH when a login is required (530), a wrong login (535), the recipients it is
/// told to refuse (550), and messages over its size limit (552).
///
/// ```swift
/// let smtp = SandboxSMTPServer(login: ("alerts", "s3cret"))
/// try await smtp.withRunning { port in … "smtp://127.0.0.1:\(port)" … }
/// smtp.received.first?.data   // the message as sent
/// ```
public final class SandboxSMTPServer: Sendable {
    /// One accepted message.
    public struct Mail: Sendable, Hashable {
        public var from: String
        public var recipients: [String]
        /// The message text (headers and body), CRLF line ends, dots unstuffed.
        public var data: String
        /// The login used, if any.
        public var username: String?
    }

    let login: (username: String, password: String)?
    let refusedRecipients: Set<String>
    let sizeLimit: Int
    let mails = Locked<[Mail]>([])

    public init(
        login: (username: String, password: String)? = nil, refusing refusedRecipients: Set<String> = [], sizeLimit: Int = 1_000_000
    ) {
        self.login = login; self.refusedRecipients = refusedRecipients; self.sizeLimit = sizeLimit
    }

    /// The messages accepted so far, in order.
    public var received: [Mail] { mails.withLock { $0 } }

    /// Listens on 127.0.0.1 (a free port) while `body` runs.
    public func withRunning<Value: Sendable>(_ body: @Sendable (Int) async throws -> Value) async throws -> Value {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = self
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in channel.pipeline.addHandler(SMTPSession(server: server)) }
            .bind(host: "127.0.0.1", port: 0).get()
        let result: Result<Value, any Error>
        do { result = .success(try await body(channel.localAddress?.port ?? 0)) } catch { result = .failure(error) }
        try? await channel.close().get()
        try await group.shutdownGracefully()
        return try result.get()
    }

    func accept(_ mail: Mail) { mails.withLock { $0.append(mail) } }
}

/// One client's conversation: lines in, replies out.
private final class SMTPSession: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Mode { case command, authPlain, authUser, authPassword(String), data }

    let server: SandboxSMTPServer
    var pending: [UInt8] = []
    var mode = Mode.command
    var authenticated: String?
    var from: String?
    var recipients: [String] = []
    var data: [String] = []
    var size = 0

    init(server: SandboxSMTPServer) { self.server = server }

    func channelActive(context: ChannelHandlerContext) { reply(context, "220 sandbox.updraft ESMTP ready") }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            handle(String(decoding: line, as: UTF8.self), context)
        }
    }

    func handle(_ line: String, _ context: ChannelHandlerContext) {
        switch mode {
        case .data: dataLine(line, context)
        case .authPlain:
            mode = .command
            checkPlain(line, context)
        case .authUser:
            mode = .authPassword(Self.decode(line) ?? "")
            reply(context, "334 UGFzc3dvcmQ6")
        case .authPassword(let user):
            mode = .command
            check(user: user, password: Self.decode(line) ?? "", context)
        case .command: command(line, context)
        }
    }

    func command(_ line: String, _ context: ChannelHandlerContext) {
        let verb = line.prefix(while: { $0 != " " }).uppercased()
        let argument = line.dropFirst(verb.count).trimmingCharacters(in: .whitespaces)
        switch verb {
        case "EHLO":
            reply(context, "250-sandbox.updraft\r\n250-SIZE \(server.sizeLimit)\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN")
        case "HELO": reply(context, "250 sandbox.updraft")
        case "AUTH":
            let parts = argument.split(separator: " ").map(String.init)
            switch parts.first?.uppercased() {
            case "PLAIN" where parts.count > 1: checkPlain(parts[1], context)
            case "PLAIN":
                mode = .authPlain
                reply(context, "334 ")
            case "LOGIN" where parts.count > 1:
                mode = .authPassword(Self.decode(parts[1]) ?? "")
                reply(context, "334 UGFzc3dvcmQ6")
            case "LOGIN":
                mode = .authUser
                reply(context, "334 VXNlcm5hbWU6")
            default: reply(context, "504 5.5.4 Unrecognized authentication type")
            }
        case "MAIL":
            guard server.login == nil || authenticated != nil else { return reply(context, "530 5.7.0 Authentication required") }
            guard let address = Self.address(argument, after: "FROM:") else {
                return reply(context, "501 5.5.4 Syntax: MAIL FROM:<address>")
            }
            from = address; recipients = []
            reply(context, "250 2.1.0 Ok")
        case "RCPT":
            guard from != nil else { return reply(context, "503 5.5.1 Error: need MAIL command") }
            guard let address = Self.address(argument, after: "TO:") else { return reply(context, "501 5.5.4 Syntax: RCPT TO:<address>") }
            guard !server.refusedRecipients.contains(address) else {
                return reply(context, "550 5.1.1 <\(address)>: Recipient address rejected: User unknown")
            }
            recipients.append(address)
            reply(context, "250 2.1.5 Ok")
        case "DATA":
            guard from != nil, !recipients.isEmpty else { return reply(context, "503 5.5.1 Error: need RCPT command") }
            mode = .data; data = []; size = 0
            reply(context, "354 End data with <CR><LF>.<CR><LF>")
        case "RSET":
            from = nil; recipients = []
            reply(context, "250 2.0.0 Ok")
        case "NOOP": reply(context, "250 2.0.0 Ok")
        case "QUIT":
            reply(context, "221 2.0.0 Bye")
            context.close(promise: nil)
        default: reply(context, "502 5.5.2 Error: command not recognized")
        }
    }

    func dataLine(_ line: String, _ context: ChannelHandlerContext) {
        guard line != "." else {
            mode = .command
            defer { from = nil; recipients = [] }
            guard size <= server.sizeLimit else { return reply(context, "552 5.3.4 Message size exceeds fixed limit") }
            server.accept(
                .init(from: from ?? "", recipients: recipients, data: data.joined(separator: "\r\n") + "\r\n", username: authenticated))
            return reply(context, "250 2.0.0 Ok: queued")
        }
        let unstuffed = line.hasPrefix(".") ? String(line.dropFirst()) : line
        size += unstuffed.utf8.count + 2
        data.append(unstuffed)
    }

    func checkPlain(_ encoded: String, _ context: ChannelHandlerContext) {
        let parts = (Self.decode(encoded) ?? "").split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return reply(context, "501 5.5.2 Cannot decode AUTH parameter") }
        check(user: parts[1], password: parts[2], context)
    }

    func check(user: String, password: String, _ context: ChannelHandlerContext) {
        guard let login = server.login, login.username == user, login.password == password else {
            return reply(context, "535 5.7.8 Error: authentication failed")
        }
        authenticated = user
        reply(context, "235 2.7.0 Authentication successful")
    }

    static func decode(_ base64: String) -> String? {
        Data(base64Encoded: base64.trimmingCharacters(in: .whitespaces)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The address in `FROM:<a@b> SIZE=…` or `TO:<a@b>`.
    static func address(_ argument: String, after prefix: String) -> String? {
        guard argument.uppercased().hasPrefix(prefix) else { return nil }
        let rest = argument.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        guard rest.hasPrefix("<"), let end = rest.firstIndex(of: ">") else { return nil }
        return String(rest[rest.index(after: rest.startIndex)..<end])
    }

    func reply(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text + "\r\n")), promise: nil)
    }
}
