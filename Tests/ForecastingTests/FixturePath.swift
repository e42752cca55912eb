import Foundation

/// Files next to the tests (`Tests/ForecastingTests/Fixtures/…`), found from `#filePath`.
enum FixturePath {
    static func url(_ name: String, file: StaticString = #filePath) -> URL {
        URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
    }
}
