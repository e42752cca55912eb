import Foundation

/// The process-wide state of every host the client talks to: each host's rate-limit window, any
/// pause ordered by a 429, and any ban ordered by a 418. Every request consults it before going out.
///
/// One instance, `HostTraffic.processWide`, is shared by all clients by default; tests may make
/// their own so their hosts start clean.
public actor HostTraffic {
    /// What a request should do now.
    enum Decision: Equatable {
        case proceed
        case wait(Duration)
        case banned(until: Date)
    }

    struct HostState {
        var limit: RateLimit?
        var windowStart: Date = .distantPast
        var used = 0
        var pausedUntil: Date = .distantPast
        var bannedUntil: Date = .distantPast
    }

    /// The instance every `HTTPClient` uses unless told otherwise.
    public static let processWide = HostTraffic()

    private var hosts: [String: HostState] = [:]

    /// An empty registry (no host limited, paused or banned).
    public init() {}

    /// Takes `weight` from the host's current window, or says how long to wait, or that the host banned us.
    func decide(host: String, weight: Int, limit: RateLimit?, now: Date) -> Decision {
        var state = hosts[host] ?? HostState()
        defer { hosts[host] = state }
        if let limit { state.limit = limit }
        if now < state.bannedUntil { return .banned(until: state.bannedUntil) }
        if now < state.pausedUntil { return .wait(.interval(state.pausedUntil.timeIntervalSince(now))) }
        guard let limit = state.limit else { return .proceed }
        let window = limit.window.timeInterval
        let windowStart = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / window).rounded(.down) * window)
        if windowStart > state.windowStart {
            state.windowStart = windowStart
            state.used = 0
        }
        if state.used + weight <= limit.capacity || state.used == 0 {
            state.used += weight
            return .proceed
        }
        return .wait(.interval(state.windowStart.addingTimeInterval(window).timeIntervalSince(now)))
    }

    /// Brings the host's window in step with the server's own count of weight used this window.
    func observe(host: String, usedWeight: Int, now: Date) {
        guard var state = hosts[host], let limit = state.limit else { return }
        let window = limit.window.timeInterval
        let windowStart = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / window).rounded(.down) * window)
        if windowStart > state.windowStart {
            state.windowStart = windowStart
            state.used = usedWeight
        } else {
            state.used = max(state.used, usedWeight)
        }
        hosts[host] = state
    }

    /// Holds every request to the host until `date` (after a 429).
    func pause(host: String, until date: Date) {
        var state = hosts[host] ?? HostState()
        state.pausedUntil = max(state.pausedUntil, date)
        hosts[host] = state
    }

    /// Refuses every request to the host until `date` (after a 418).
    func ban(host: String, until date: Date) {
        var state = hosts[host] ?? HostState()
        state.bannedUntil = max(state.bannedUntil, date)
        hosts[host] = state
    }

    /// The end of the host's ban, if it is banned at `now`.
    public func banEnd(host: String, now: Date = Date()) -> Date? {
        guard let until = hosts[host]?.bannedUntil, until > now else { return nil }
        return until
    }

    /// Weight used in the host's current window, as far as this process knows.
    public func usedWeight(host: String) -> Int {
        hosts[host]?.used ?? 0
    }

    /// The key under which a URL's host is tracked: `scheme://host:port`.
    public nonisolated static func hostKey(for url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }
}
