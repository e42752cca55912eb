import Foundation
import Synchronization
import UpdraftConfig
import UpdraftRuntime

/// One invocation of the CLI: the application, the environment read once at start, and the
/// configuration once a command has loaded it (so the worker pool it starts gets the same).
final class CLISession: Sendable {
    let application: UpdraftApplication
    let environment: [String: String]
    /// `--home` / `--config` given before the subcommand.
    let leading: LeadingOptions
    private let loaded = Mutex<UpdraftConfiguration?>(nil)

    init(application: UpdraftApplication, environment: [String: String], leading: LeadingOptions = LeadingOptions()) {
        self.application = application
        self.environment = environment
        self.leading = leading
    }

    /// The configuration a command loaded (``HomeOptions/configuration()``), if any yet.
    var configuration: UpdraftConfiguration? {
        get { loaded.withLock { $0 } }
        set { loaded.withLock { $0 = newValue } }
    }
}
