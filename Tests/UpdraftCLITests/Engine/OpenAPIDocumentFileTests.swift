import Foundation
import MarketCLI
import Testing
import UpdraftCLI
import UpdraftConfig

/// `docs/api/openapi.json` is the document `updraft api-server` serves: the engine's routes and
/// the market extension's (regenerate with `UPDRAFT_UPDATE_SNAPSHOTS=1 swift test --filter
/// OpenAPIDocumentFileTests`).
@Suite struct OpenAPIDocumentFileTests {
    @Test func theCommittedDocumentIsTheServedOne() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/api/openapi.json")
        let application = UpdraftApplication(extensions: [MarketExtension()], dags: { _ in [] })
        let generated = application.openAPIDocument(UpdraftConfiguration.defaults(application.catalog)).json() + [0x0A]
        if ProcessInfo.processInfo.environment["UPDRAFT_UPDATE_SNAPSHOTS"] == "1" {
            try Data(generated).write(to: file)
        }
        let committed = try Data(contentsOf: file)
        // Compared as text with a short message: the document is 200 KB.
        let same = Array(committed) == generated
        #expect(same, "docs/api/openapi.json is stale: UPDRAFT_UPDATE_SNAPSHOTS=1 swift test --filter OpenAPIDocumentFileTests")
    }
}
