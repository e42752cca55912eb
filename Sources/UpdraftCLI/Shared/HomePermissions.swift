import Foundation
import UpdraftConfig

/// The modes of what Updraft creates in its home (`home_permissions`): the process umask, set
/// before the home is touched, so databases, logs and models and the worker processes (which
/// inherit it) all follow it.
enum HomePermissions {
    /// `private` → umask 077 (folders 0700, files 0600), `group` → 027, `umask` → unchanged.
    static func apply(_ configuration: UpdraftConfiguration) {
        switch configuration[.homePermissions] {
        case "private": umask(0o077)
        case "group": umask(0o027)
        default: break
        }
    }
}
