import Foundation

/// Reading a password from the user: on a terminal, asked twice without echo; from a pipe, one
/// line. And generating one.
enum UserPasswords {
    /// A new password of 20 characters from an unambiguous alphabet (about 110 bits).
    static func generate() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// The password for `user`: prompted twice on a terminal, else the first line of stdin.
    static func read(for user: String) throws -> String {
        if isatty(STDIN_FILENO) == 1 {
            let first = try prompt("Password for \(user): ")
            let second = try prompt("Repeat it: ")
            guard first == second else { throw CLIError.usage("the two passwords differ; nothing changed") }
            return first
        }
        guard let line = Swift.readLine(strippingNewline: true) else {
            throw CLIError.usage("no password on standard input (pipe one line, or run on a terminal)")
        }
        return line
    }

    /// One line from the terminal with echo off.
    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = Swift.readLine(strippingNewline: true) else { throw CLIError.usage("no password given") }
        return line
    }
}
