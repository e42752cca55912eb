import Foundation
import Testing
import UpdraftWorkers

/// An idle process gives its file-backed pages back and keeps working.
@Suite struct IdleMemoryTests {
    static func residentFileKB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("RssFile:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }

    @Test func releasingIdlePagesShrinksTheResidentFilePagesAndTheProcessGoesOn() {
        let before = Self.residentFileKB()
        let mappings = IdleMemory.release()
        let after = Self.residentFileKB()
        #expect(mappings > 0)
        #expect(after < before, "RssFile \(before) kB before, \(after) kB after")
        // Code paged out comes back when it runs.
        #expect(String(describing: (1...3).map { $0 * 2 }) == "[2, 4, 6]")
    }
}
