import Foundation
import UpdraftCore

#if canImport(Glibc)
import Glibc
#endif

/// Whether output carries ANSI colour: on a terminal yes, when piped no.
///
/// ```swift
/// let color = ColorMode.forStandardOutput()   // .ansi on a TTY, .plain when piped or NO_COLOR is set
/// ```
public enum ColorMode: Sendable, Hashable {
    /// No escape sequences.
    case plain
    /// ANSI SGR colours.
    case ansi

    /// `.ansi` when standard output is a terminal, `TERM` is not `dumb` and `NO_COLOR` is unset.
    public static func forStandardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> ColorMode {
        guard isatty(STDOUT_FILENO) == 1, environment["NO_COLOR"] == nil, environment["TERM"] != "dumb" else {
            return .plain
        }
        return .ansi
    }

    /// `text` wrapped in `style`'s escape sequence (unchanged when plain).
    func paint(_ text: String, _ style: TextStyle) -> String {
        guard self == .ansi, style != .normal else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }
}

/// ANSI SGR parameters used by the renderers.
enum TextStyle: String, Sendable {
    case normal = "0"
    case bold = "1"
    case dim = "2"
    case red = "31"
    case boldRed = "1;31"
    case green = "32"
    case yellow = "33"
    case blue = "34"
    case magenta = "35"
    case cyan = "36"

    /// The colour of a task state: failures red, success green, in-flight cyan, waiting blue.
    static func of(_ state: TaskState) -> TextStyle {
        switch state {
        case .success: .green
        case .failed: .boldRed
        case .upstreamFailed: .red
        case .upForRetry: .yellow
        case .running: .cyan
        case .queued, .scheduled: .blue
        case .skipped, .removed: .magenta
        case .interrupted: .yellow
        case .none: .dim
        }
    }

    static func of(_ state: RunState) -> TextStyle {
        switch state {
        case .success: .green
        case .failed: .boldRed
        case .running: .cyan
        case .queued: .blue
        }
    }
}
