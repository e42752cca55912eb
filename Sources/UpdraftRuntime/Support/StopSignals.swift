import Dispatch
import Foundation
import UpdraftStore

/// Turns SIGINT and SIGTERM into a callback (for commands that run outside a ServiceGroup).
/// A second signal exits at once.
public final class StopSignals: Sendable {
    private let sources: Locked<[any DispatchSourceSignal]>

    public init(_ handler: @escaping @Sendable () -> Void) {
        let fired = Locked(false)
        var created: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let again = fired.withLock { value in
                    defer { value = true }; return value
                }
                if again { exit(130) }
                handler()
            }
            source.resume()
            created.append(source)
        }
        sources = Locked(created)
    }

    public func cancel() {
        sources.withLock { all in
            for source in all { source.cancel() }
            all = []
        }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
