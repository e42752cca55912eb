import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import UpdraftAPI
import UpdraftStore

/// A server-sent event stream that says `change` whenever the state store changed: the store's
/// ``StateStore/changeStamp()`` read twice a second, once for all streams of the server
/// (``ChangeStampCache``; it sees a scheduler in another process or on another host too), a comment every 5 s otherwise (it keeps proxies from closing the
/// stream and finds a closed connection soon). The stream ends when the server shuts down
/// gracefully, so an open grid never holds up a SIGTERM.
public enum ChangeEvents {
    /// How often the store is read.
    public static let interval: Duration = .milliseconds(500)

    public static func stream(
        store: any StateStore, stamps: ChangeStampCache, interval: Duration = ChangeEvents.interval
    )
        -> APIResponse
    {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return APIResponse(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var last = try await stamps.current(store)
                try await writer.write(ByteBuffer(string: "retry: 2000\nevent: ready\ndata: \(last)\n\n"))
                var quiet: Duration = .zero
                // Ends at the server's graceful shutdown (the browser reconnects to the next server).
                while !Task.isShuttingDownGracefully {
                    try await Task.sleep(for: interval)
                    let stamp = try await stamps.current(store)
                    if stamp != last {
                        last = stamp
                        quiet = .zero
                        try await writer.write(ByteBuffer(string: "event: change\ndata: \(stamp)\n\n"))
                    } else {
                        quiet += interval
                        if quiet >= .seconds(5) {
                            quiet = .zero
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        }
                    }
                }
                try await writer.finish(nil)
            })
    }
}
