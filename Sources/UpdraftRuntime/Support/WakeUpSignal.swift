import Dispatch
import Foundation
import UpdraftStore

/// Turns SIGUSR1 into a callback: the CLI sends it to a scheduler (new run, cleared task) or to
/// the owner of a run (cancelled, marked) so that they react at once without polling.
public final class WakeUpSignal: Sendable {
    private let source: Locked<(any DispatchSourceSignal)?>

    public init(_ handler: @escaping @Sendable () -> Void) {
        signal(SIGUSR1, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
        self.source = Locked(source)
    }

    public func cancel() {
        source.withLock {
            $0?.cancel(); $0 = nil
        }
    }

    /// Sends SIGUSR1 to a live process on this host; false when it is not alive here.
    @discardableResult
    public static func send(to process: ProcessIdentity) -> Bool {
        guard process.host == ProcessIdentity.hostName, process.isAlive else { return false }
        return kill(process.pid, SIGUSR1) == 0
    }
}
