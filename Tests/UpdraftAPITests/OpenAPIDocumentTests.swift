import Foundation
import Testing
import UpdraftCore

@testable import UpdraftAPI

@Suite struct OpenAPIDocumentTests {
    @Test func everySchemaReferencedIsDefinedAndEveryRouteIsUnique() throws {
        let document = OpenAPIDocument(endpoints: AirflowRoutes.all)
        let text = String(decoding: document.json(), as: UTF8.self)
        guard case .object(let root) = document.value, case .object(let components)? = root["components"],
            case .object(let schemas)? = components["schemas"]
        else { Issue.record("no schemas"); return }
        let references = text.components(separatedBy: "#/components/schemas/").dropFirst().map { $0.prefix { $0 != "\"" } }
        for name in Set(references) { #expect(schemas[String(name)] != nil, "undefined schema \(name)") }
        let keys = AirflowRoutes.all.map { "\($0.method) \($0.path)" }
        #expect(Set(keys).count == keys.count)
        let ids = AirflowRoutes.all.map(\.operationId)
        #expect(Set(ids).count == ids.count)
    }

    @Test func everyNonPublicRouteNeedsAToken() {
        let open = AirflowRoutes.all.filter { $0.role == nil }.map(\.path).sorted()
        #expect(open == ["/api/v2/monitor/health", "/api/v2/version", "/auth/login", "/auth/token"])
    }
}
