import Foundation

/// Who runs the command, for the audit log's `owner` (as Airflow's CLI logs `getuser()`): `$USER`,
/// else the name of the process's user in the password database, else its uid.
enum CLIUser {
    static var name: String {
        if let user = CLIEnvironment.environment["USER"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }
}
