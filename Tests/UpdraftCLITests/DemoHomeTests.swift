import Foundation
import Testing

@testable import MarketCLI
@testable import UpdraftCLI

@Suite("updraft demo: its home folder")
struct DemoHomeTests {
    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("updraft-demo-home-\(UUID().uuidString)").path
    }

    @Test func defaultsToDemoUnderTheHome() {
        #expect(DemoHome(nil, environment: ["UPDRAFT_HOME": "/srv/updraft"]).path == "/srv/updraft/demo")
        #expect(DemoHome(nil, environment: [:]).path == FileManager.default.currentDirectoryPath + "/runs/demo")
        #expect(DemoHome("/tmp/x/../y", environment: [:]).path == "/tmp/y")
    }

    @Test func aDemoFolderIsEmptiedAndMarked() throws {
        let path = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let home = DemoHome(path, environment: [:])
        try home.prepare()
        _ = FileManager.default.createFile(atPath: path + "/market.db", contents: Data("old".utf8))
        try home.prepare()
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == [DemoHome.marker])
    }

    @Test func aFolderWithOtherDataIsRefusedAndKept() throws {
        let path = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path + "/notes.txt", contents: Data("mine".utf8))
        #expect {
            try DemoHome(path, environment: [:]).prepare()
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("not made by `updraft demo`")
        }
        #expect(FileManager.default.fileExists(atPath: path + "/notes.txt"))
    }
}
