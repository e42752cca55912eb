import Foundation

/// What a fixture worker does with a payload such as `echo hi`, `trap`, `exit 3`, `sleep 2`,
/// `hold /tmp/marker`.
struct FixtureJob {
    let command: Substring
    let argument: Substring

    init(_ payload: [UInt8]) {
        let text = Substring(String(decoding: payload, as: UTF8.self))
        let space = text.firstIndex(of: " ") ?? text.endIndex
        command = text[..<space]
        argument = space == text.endIndex ? "" : text[text.index(after: space)...]
    }

    func run() async -> [UInt8] {
        switch command {
        case "", "noop":
            return []
        case "echo":
            return Array(argument.utf8)
        case "pid":
            return Array(String(getpid()).utf8)
        case "trap":
            fatalError("fixture trap: \(argument)")
        case "index":
            let values = [1, 2, 3]
            return [UInt8(values[values.count + argument.count])]
        case "exit":
            exit(Int32(argument) ?? 1)
        case "sleep":
            try? await Task.sleep(for: .seconds(Double(argument) ?? 1))
            return Array("slept".utf8)
        case "hold":
            // Creates the file named by the argument, then holds the worker until the test cancels
            // the job (which kills the worker): a test waits for the file to know the job is running,
            // and no test outlasts the hold however loaded the machine (an hour; 30 s did not last).
            FileManager.default.createFile(atPath: String(argument), contents: nil)
            try? await Task.sleep(for: .seconds(3600))
            return Array("held".utf8)
        case "print":
            print("out: \(argument)")
            FileHandle.standardError.write(Data("err: \(argument)\n".utf8))
            return Array("printed".utf8)
        case "env":
            return Array((ProcessInfo.processInfo.environment[String(argument)] ?? "<unset>").utf8)
        case "ignored-signals":
            // The `SigIgn` mask of /proc/self/status, in hex: the signals this worker ignores.
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") } ?? ""
            return Array(line.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces).utf8)
        case "bytes":
            return (0..<(Int(argument) ?? 0)).map { UInt8(truncatingIfNeeded: $0) }
        default:
            return Array("unknown command \(command)".utf8)
        }
    }
}
