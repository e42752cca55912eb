import Foundation
import Testing
import UpdraftCore
import UpdraftStore

/// `variables`, `connections` and `events`: values are stored as given and shown masked when
/// sensitive; every change is in the audit log with the OS user as its owner.
@Suite struct SettingsCLITests {
    static let user = ["USER": "ada"]

    @Test func variablesAreSetListedMaskedAndDeleted() async throws {
        let cli = try BinaryHarness()
        #expect(try cli.run(["variables", "set", "region", "eu-west", "--description", "where"], environment: Self.user).status == 0)
        #expect(try cli.run(["variables", "set", "API_TOKEN", "s3cr3t"], environment: Self.user).status == 0)
        #expect(try cli.run(["variables", "get", "region"]).stdout == "eu-west\n")
        let secret = try cli.run(["variables", "get", "API_TOKEN"])
        #expect(secret.stdout == "***\n")
        let list = try cli.run(["variables", "list"])
        #expect(list.stdout.contains("region") && list.stdout.contains("eu-west") && list.stdout.contains("where"))
        #expect(list.stdout.contains("***") && !list.stdout.contains("s3cr3t"))
        let json = try cli.run(["variables", "list", "--json"]).stdout
        let rows = try JSONDecoder().decode([JSONValue].self, from: Data(json.utf8))
        #expect(
            rows == [
                ["key": "API_TOKEN", "value": "***", "description": nil], ["key": "region", "value": "eu-west", "description": "where"],
            ])
        #expect(!(try cli.run(["variables", "get", "API_TOKEN", "--json"]).stdout.contains("s3cr3t")))
        // Stored as given: tasks read the real value.
        #expect(try await cli.store().variable("API_TOKEN")?.value == "s3cr3t")

        #expect(try cli.run(["variables", "delete", "region"], environment: Self.user).status == 0)
        let missing = try cli.run(["variables", "get", "region"])
        #expect(missing.status == 1 && missing.stderr.contains("no variable with key 'region'"))
        #expect(try cli.run(["variables", "delete", "region"]).status == 1)
    }

    @Test func connectionsAreAddedShownMaskedAndDeleted() async throws {
        let cli = try BinaryHarness()
        let add = try cli.run(
            [
                "connections", "add", "warehouse", "--conn-type", "postgres", "--host", "db.local", "--port", "5432",
                "--login", "etl", "--password", "pw-123", "--extra", #"{"sslmode":"require","api_key":"k-9"}"#,
            ], environment: Self.user)
        #expect(add.status == 0, "\(add.stderr)")
        let get = try cli.run(["connections", "get", "warehouse"]).stdout
        #expect(get.contains("host: db.local") && get.contains("port: 5432") && get.contains("password: ***"))
        #expect(!get.contains("pw-123") && !get.contains("k-9") && get.contains("sslmode"))
        let list = try cli.run(["connections", "list"]).stdout
        #expect(list.contains("warehouse") && list.contains("postgres") && !list.contains("pw-123"))
        let json = try cli.run(["connections", "list", "--json"]).stdout
        #expect(json.contains(#""password":"***""#) && !json.contains("pw-123") && !json.contains("k-9"))
        #expect(try await cli.store().connection("warehouse")?.password == "pw-123")
        #expect(try cli.run(["connections", "add", "x", "--conn-type", "http", "--port", "70000"]).status == 2)
        #expect(try cli.run(["connections", "delete", "warehouse"], environment: Self.user).status == 0)
        #expect(try cli.run(["connections", "get", "warehouse"]).status == 1)
    }

    @Test func theAuditLogShowsWhoChangedWhat() async throws {
        let cli = try BinaryHarness()
        #expect(try cli.run(["variables", "set", "db_password", "hunter2"], environment: Self.user).status == 0)
        #expect(try cli.run(["pools", "set", "api", "3"], environment: Self.user).status == 0)
        #expect(try cli.run(["dags", "pause", "bench_chain"], environment: ["USER": "bob"]).status == 0)
        #expect(try cli.run(["pools", "delete", "api"], environment: Self.user).status == 0)
        #expect(try cli.run(["pools", "delete", "default_pool"]).status == 2)
        let list = try cli.run(["events", "list"])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(
            lines.dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] } == [
                "delete_pool", "pause_dag", "set_pool", "set_variable",
            ])
        #expect(!list.stdout.contains("hunter2"))
        let json = try cli.run(["events", "list", "--dag", "bench_chain", "--json"]).stdout
        let rows = try JSONDecoder().decode([JSONValue].self, from: Data(json.utf8))
        #expect(rows.count == 1)
        guard case .object(let fields) = try #require(rows.first) else { Issue.record("not an object"); return }
        #expect(fields["event"] == "pause_dag" && fields["owner"] == "bob" && fields["dag_id"] == "bench_chain")
        let limited = try cli.run(["events", "list", "--limit", "1"]).stdout
        #expect(limited.contains("(1 of 4 entries; --limit shows more)"))
    }
}
