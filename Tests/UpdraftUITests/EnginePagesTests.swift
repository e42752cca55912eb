import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import UpdraftAPI
import UpdraftCore
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting
import UpdraftUI

/// The engine's pages for a known store: login and sessions, CSRF, roles, escaping, the DAG list,
/// the trigger form, the grid and its fragments, the task instance page, operations and assets.
@Suite struct EnginePagesTests {
    static let script = "<script>alert(1)</script>"

    /// Params of every kind; a default holding markup.
    static let params = DAG(
        "ui_params", tags: ["ui"], description: "Params " + script,
        params: [
            .integer("n", default: 3, description: "How many."), .string("label", default: script),
            .boolean("flag", default: false), DAGParam("items", kind: .array, default: .array([1, 2])),
            .string("api_key", default: nil),
        ]
    ) { d in
        d.task("echo") { ctx in ctx.log.info("label is \(ctx.params["label"]?.stringValue ?? "-")") }
        _ = d.task("secretive") { _ in ["token": "tok-secret", "region": "eu"] }
    }

    /// Three static tasks declared out of alphabetical order.
    static let many = DAG("ui_many") { d in
        d.task("b") { _ in }
        d.task("a") { _ in }
        d.task("c") { _ in }
    }

    /// A task, a static group with a nested group, a factory of three tasks, a failing task.
    static let groups = DAG("ui_groups", tags: ["ui"]) { d in
        let start = d.task("start") { _ in }
        let group = d.group("g") { g in
            g.task("a") { _ in }
            g.task("b") { _ in }
            _ = g.group("inner") { inner in inner.task("c") { _ in } }
        }
        let fan = d.factory("fan") { _, g in for index in 0..<3 { g.task("t\(index)") { _ in } } }
        let broken = d.task("broken") { ctx in
            ctx.log.info("about to fail: " + EnginePagesTests.script)
            throw TaskFailure("boom " + EnginePagesTests.script)
        }
        start >> group
        start >> fan
        start >> broken
    }

    static let dags = [params, groups, many]

    // MARK: Sessions and CSRF

    @Test func pagesWithoutASessionLeadToTheLoginPage() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let response = try await ui.client.execute(uri: "/dags/ui_groups/grid?runs=5", method: .get)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/login?next=/dags/ui_groups/grid%3Fruns%3D5")
            let login = try await ui.client.execute(uri: "/login", method: .get)
            #expect(login.status == .ok)
            #expect(String(buffer: login.body).contains("name=\"password\""))
        }
    }

    @Test func signingInSetsAStrictHttpOnlySessionAndFollowsOnlyLocalPaths() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let wrong = try await ui.form("/login", ["username": "viewer", "password": "nope", "next": "/dags"])
            #expect(wrong.status == .unauthorized)
            #expect(String(buffer: wrong.body).contains("Invalid credentials"))
            let right = try await ui.form("/login", ["username": "viewer", "password": "password-1", "next": "/operations"])
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/operations")
            let cookies = right.headers[values: .setCookie]
            let session = try #require(cookies.first { $0.hasPrefix("updraft_session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict"))
            for next in ["//evil.example/x", "/\t/evil.example", "/\\evil.example", "https://evil.example"] {
                let elsewhere = try await ui.form("/login", ["username": "viewer", "password": "password-1", "next": next])
                #expect(elsewhere.headers[.location] == "/dags", "next=\(next)")
            }
            // A second sign-in in a browser that has a session needs no token; one from another site is refused.
            let cookie = try await ui.session(.viewer).cookie
            let again = try await ui.form("/login", ["username": "user", "password": "password-1"], cookie: cookie)
            #expect(again.status == .seeOther)
            let crossSite = try await ui.client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Sec-Fetch-Site")!: "cross-site"],
                body: ByteBuffer(string: "username=viewer&password=password-1"))
            #expect(crossSite.status == .forbidden && crossSite.headers[.setCookie] == nil)
        }
    }

    @Test func aFormWithoutTheSessionsCSRFTokenIsRefused() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let session = try await ui.session(.user)
            let refused = try await ui.form("/dags/ui_params/trigger", ["param.n": "4"], cookie: session.cookie)
            #expect(refused.status == .forbidden)
            let otherToken = try await ui.form(
                "/dags/ui_params/trigger", ["param.n": "4", "csrf_token": "forged"], cookie: session.cookie)
            #expect(otherToken.status == .forbidden)
            #expect(try await ui.store.runs(RunQuery(dagId: "ui_params")).isEmpty)
            let accepted = try await ui.form(
                "/dags/ui_params/trigger", ["param.n": "4", "csrf_token": session.csrf], cookie: session.cookie)
            #expect(accepted.status == .seeOther)
            let logout = try await ui.form("/logout", [:], cookie: session.cookie)
            #expect(logout.status == .forbidden)
            let out = try await ui.form("/logout", ["csrf_token": session.csrf], cookie: session.cookie)
            #expect(out.status == .seeOther)
            #expect(out.headers[values: .setCookie].contains { $0.hasPrefix("updraft_session=;") })
        }
    }

    @Test func pagesRevalidateByETagAndStaticFilesAreCachedForAYear() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let page = try await ui.get("/dags")
            let etag = try #require(page.headers[.eTag])
            #expect(page.headers[.cacheControl] == "private, no-cache")
            var headers = try await ui.token(.user)
            headers[.ifNoneMatch] = etag
            let again = try await ui.client.execute(uri: "/dags", method: .get, headers: headers)
            #expect(again.status == .notModified && again.body.readableBytes == 0)
            let script = try #require(page.html.firstMatch(of: #/src="(/ui/static/updraft-[0-9a-f]+\.js)"/#)?.1)
            let file = try await ui.client.execute(uri: String(script), method: .get)
            #expect(file.status == .ok)
            #expect(file.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(file.headers[.contentType] == "text/javascript; charset=utf-8")
            // The whole script stays small (no library, no build step).
            #expect(file.body.readableBytes < 40 * 1024)
        }
    }

    // MARK: Roles

    @Test func aViewerSeesNoActionsAndCannotPostThem() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let run = try await ui.harness.run("ui_groups")
            let task = "/dags/ui_groups/runs/\(PagePath.segment(run.run.runId))/tasks/broken"
            let viewerDAGs = try await ui.get("/dags", as: .viewer).html
            #expect(!viewerDAGs.contains("/dags/ui_params/trigger"))
            #expect(viewerDAGs.contains("data-pause=") == false)
            #expect(viewerDAGs.contains("disabled"))
            let viewerTask = try await ui.get(task, as: .viewer).html
            #expect(!viewerTask.contains("data-action=\"clear\"") && !viewerTask.contains("data-action=\"mark\""))
            let userTask = try await ui.get(task, as: .user).html
            #expect(userTask.contains("data-action=\"clear\"") && userTask.contains("data-action=\"mark\""))
            #expect(try await ui.get("/dags/ui_params/trigger", as: .viewer).status == .forbidden)
            let viewer = try await ui.session(.viewer)
            let post = try await ui.form(task + "/clear", ["csrf_token": viewer.csrf], cookie: viewer.cookie)
            #expect(post.status == .forbidden)
            #expect(try await ui.store.taskInstance(run: run.run.key, taskId: "broken")?.state == .failed)
        }
    }

    // MARK: Escaping

    @Test func userControlledStringsShowAsText() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
            let form = try await ui.get("/dags/ui_params/trigger").html
            #expect(form.contains("value=\"" + escaped + "\""))
            #expect(!form.contains(Self.script))
            let list = try await ui.get("/dags").html
            #expect(list.contains("Params " + escaped) && !list.contains(Self.script))
            let run = try await ui.harness.run("ui_groups")
            let page = try await ui.get("/dags/ui_groups/runs/\(PagePath.segment(run.run.runId))/tasks/broken").html
            #expect(page.contains("about to fail: " + escaped))
            #expect(page.contains("boom " + escaped))
            #expect(!page.contains(Self.script))
        }
    }

    @Test func secretsInConfAndXComsAreMasked() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let run = try await ui.harness.run("ui_params", conf: ["api_key": "sekrit-value"])
            let runPage = try await ui.get("/dags/ui_params/runs/\(PagePath.segment(run.run.runId))").html
            #expect(!runPage.contains("sekrit-value") && runPage.contains("***"))
            let task = try await ui.get("/dags/ui_params/runs/\(PagePath.segment(run.run.runId))/tasks/secretive").html
            #expect(!task.contains("tok-secret") && task.contains("&quot;region&quot; : &quot;eu&quot;"))
        }
    }

    // MARK: DAG list and trigger form

    @Test func theDAGListShowsScheduleStripPauseAndTrigger() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let run = try await ui.harness.run("ui_groups")
            let html = try await ui.get("/dags").html
            #expect(html.contains("data-dag=\"ui_groups\"") && html.contains("data-dag=\"ui_params\""))
            #expect(html.contains("href=\"/dags/ui_groups/runs/\(PagePath.segment(run.run.runId))\""))
            #expect(html.contains("class=\"s-failed\""))
            #expect(html.contains("data-pause=\"/api/v2/dags/ui_groups\""))
            #expect(html.contains("href=\"/dags/ui_params/trigger\""))
            let filtered = try await ui.get("/dags?q=params").html
            #expect(filtered.contains("data-dag=\"ui_params\"") && !filtered.contains("data-dag=\"ui_groups\""))
        }
    }

    @Test func theTriggerFormIsMadeFromTheParamsAndTheServerChecksIt() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let form = try await ui.get("/dags/ui_params/trigger").html
            #expect(form.contains("name=\"param.n\" type=\"number\" step=\"1\" value=\"3\""))
            #expect(form.contains("<select id=\"param-flag\" name=\"param.flag\""))
            #expect(form.contains("<textarea id=\"param-items\" name=\"param.items\""))
            #expect(form.contains("How many."))
            let session = try await ui.session(.user)
            let bad = try await ui.form(
                "/dags/ui_params/trigger", ["param.n": "three", "csrf_token": session.csrf], cookie: session.cookie)
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("Expected a whole number, got &#39;three&#39;"))
            let badJSON = try await ui.form(
                "/dags/ui_params/trigger", ["param.items": "{\"a\": 1}", "csrf_token": session.csrf], cookie: session.cookie)
            #expect(String(buffer: badJSON.body).contains("Expected a JSON array"))
            #expect(try await ui.store.runs(RunQuery(dagId: "ui_params")).isEmpty)
            let good = try await ui.form(
                "/dags/ui_params/trigger",
                ["param.n": "7", "param.flag": "true", "param.label": "hi", "run_id": "from_form", "csrf_token": session.csrf],
                cookie: session.cookie)
            #expect(good.status == .seeOther)
            #expect(good.headers[.location] == "/dags/ui_params/grid?triggered=from_form")
            let run = try #require(try await ui.store.run(RunKey("ui_params", "from_form")))
            #expect(run.conf["n"] == 7 && run.conf["flag"] == true && run.conf["label"] == "hi")
            #expect(run.triggeredBy == .ui)
            let again = try await ui.form(
                "/dags/ui_params/trigger", ["run_id": "from_form", "csrf_token": session.csrf], cookie: session.cookie)
            #expect(String(buffer: again.body).contains("A run with this id already exists"))
            let dots = try await ui.form("/dags/ui_params/trigger", ["run_id": "..", "csrf_token": session.csrf], cookie: session.cookie)
            #expect(dots.status == .badRequest && String(buffer: dots.body).contains("A run id cannot be only dots"))
        }
    }

    // MARK: Grid

    @Test func theGridShowsRunsAsColumnsAndGroupsRolledUp() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let first = try await ui.harness.run("ui_groups")
            ui.clock.advance(by: 60)
            let second = try await ui.harness.run("ui_groups")
            let html = try await ui.get("/dags/ui_groups/grid").html
            // Newest on the right.
            let older = try #require(html.range(of: "data-run=\"\(first.run.runId)\""))
            let newer = try #require(html.range(of: "data-run=\"\(second.run.runId)\""))
            #expect(older.lowerBound < newer.lowerBound)
            for row in ["start", "g", "fan", "broken"] { #expect(html.contains("data-row=\"\(row)\"")) }
            #expect(!html.contains("data-row=\"g.a\"") && !html.contains("data-row=\"fan.t0\""))
            #expect(html.contains("data-toggle=\"g\" aria-expanded=\"false\""))
            #expect(html.contains("title=\"fan · 3 success\""))
            #expect(html.contains("data-events=\"/dags/ui_groups/grid/events\""))
            let expanded = try await ui.get("/dags/ui_groups/grid?expand=g,g.inner").html
            #expect(expanded.contains("<tr data-in=\"g\" data-row=\"g.a\">"))
            #expect(expanded.contains("<tr data-in=\"g.inner\" data-row=\"g.inner.c\">"))
            #expect(expanded.contains("data-toggle=\"g\" aria-expanded=\"true\""))
            // One group's rows alone, for the script.
            let rows = try await ui.get("/dags/ui_groups/grid/rows?group=fan").html
            #expect(rows.hasPrefix("<tr data-in=\"fan\" data-row=\"fan.t0\">"))
            #expect(!rows.contains("data-row=\"start\"") && !rows.contains("<thead>"))
            let whole = try await ui.get("/dags/ui_groups/grid/rows?whole=1&expand=fan").html
            #expect(whole.hasPrefix("<thead>") && whole.contains("data-row=\"fan.t2\""))
        }
    }

    @Test func theGridPagesRunsAndRows() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            var ids: [String] = []
            for _ in 0..<3 {
                ids.append(try await ui.harness.run("ui_groups").run.runId)
                ui.clock.advance(by: 60)
            }
            let newest = try await ui.get("/dags/ui_groups/grid?runs=2").html
            #expect(!newest.contains("data-run=\"\(ids[0])\"") && newest.contains("data-run=\"\(ids[2])\""))
            #expect(newest.contains("Runs 2–3 of 3") && newest.contains("rel=\"prev\""))
            let older = try await ui.get("/dags/ui_groups/grid?runs=2&offset=2").html
            #expect(older.contains("data-run=\"\(ids[0])\"") && !older.contains("data-run=\"\(ids[2])\""))
            // Past the row limit the first tasks by id are shown, never rows without cells.
            _ = try await ui.harness.run("ui_many")
            let many = try await ui.get("/dags/ui_many/grid?rows=2").html
            #expect(many.contains("data-row=\"a\"") && many.contains("data-row=\"b\"") && !many.contains("data-row=\"c\""))
            #expect(many.contains("more rows") && !many.contains("s-empty"))
            let limited = try await ui.get("/dags/ui_groups/grid/rows?group=fan&rows=2").html
            #expect(limited.contains("data-row=\"fan.t1\"") && !limited.contains("data-row=\"fan.t2\""))
            #expect(limited.contains("more rows"))
        }
    }

    // MARK: Task instance

    @Test func theTaskInstancePageShowsTriesLogXComsAndClears() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let run = try await ui.harness.run("ui_groups")
            let path = "/dags/ui_groups/runs/\(PagePath.segment(run.run.runId))/tasks/broken"
            let page = try await ui.get(path).html
            #expect(page.contains("data-try=\"1\""))
            #expect(page.contains("<pre class=\"log\""))
            #expect(page.contains("No XCom entries."))
            let session = try await ui.session(.user)
            let cleared = try await ui.form(path + "/clear", ["csrf_token": session.csrf], cookie: session.cookie)
            #expect(cleared.status == .seeOther && cleared.headers[.location] == path)
            #expect(try await ui.store.taskInstance(run: run.run.key, taskId: "broken")?.state == TaskState.none)
            let waiting = try await ui.get(path).html
            #expect(waiting.contains("Why it is not running"))
            let marked = try await ui.form(path + "/mark", ["state": "success", "csrf_token": session.csrf], cookie: session.cookie)
            #expect(marked.status == .seeOther)
            #expect(try await ui.store.taskInstance(run: run.run.key, taskId: "broken")?.state == .success)
            #expect(try await ui.get("/dags/ui_groups/runs/\(PagePath.segment(run.run.runId))/tasks/nope").status == .notFound)
        }
    }

    @Test func aQueuedTrysLogSaysItIsQueuedNotRunning() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            let run = try await ui.harness.run("ui_groups")
            var instance = try #require(try await ui.store.taskInstance(run: run.run.key, taskId: "start"))
            instance.state = .queued
            instance.tryNumber = 2
            instance.startDate = nil
            var batch = StateBatch()
            batch.instances = [instance]
            try await ui.store.commit(batch)
            let page = try await ui.get("/dags/ui_groups/runs/\(PagePath.segment(run.run.runId))/tasks/start").html
            #expect(page.contains("data-follow-status>queued</span>"))
            #expect(!page.contains("data-follow-status>running</span>"))
        }
    }

    // MARK: Operations and assets

    @Test func operationsMasksSecretsAndListsTheAuditLog() async throws {
        try await UITestServer.with(dags: Self.dags) { ui in
            try await ui.store.saveVariable(VariableRecord(key: "api_password", value: "hunter2", description: nil))
            try await ui.store.saveVariable(VariableRecord(key: "region", value: "eu" + Self.script, description: nil))
            try await ui.store.saveConnection(
                ConnectionRecord(connectionId: "db", connType: "postgres", host: "h", login: "u", password: "s3cret", port: 5432))
            _ = try await ui.harness.engine.setPaused("ui_groups", true, owner: "admin")
            try await ui.store.enqueueNotifications([
                NotificationDraft(
                    key: "failure-1:ui_groups:r1", channel: "slack", event: "task_failed", dagId: "ui_groups", runId: "r1",
                    title: "ui_groups: task a failed (try 1)", createdAt: Date())
            ])
            let html = try await ui.get("/operations").html
            #expect(html.contains("data-notification=\"1\" data-status=\"pending\""))
            #expect(html.contains("ui_groups: task a failed (try 1)") && html.contains("href=\"/dags/ui_groups/runs/r1\""))
            #expect(html.contains("data-pool=\"default_pool\""))
            #expect(!html.contains("hunter2") && !html.contains("s3cret"))
            #expect(html.contains("eu&lt;script&gt;"))
            #expect(html.contains("paused") || html.contains("pause"))
            #expect(html.contains(">admin<"))
        }
    }
}

extension UITestServer {
    /// A browser session of the user of `role`: its cookie header and CSRF token.
    func session(_ role: UserRole) async throws -> (cookie: String, csrf: String) {
        let response = try await form("/login", ["username": role.rawValue, "password": "password-1"])
        var cookie: [String] = []
        var csrf = ""
        for value in response.headers[values: .setCookie] {
            let pair = String(value.prefix { $0 != ";" })
            cookie.append(pair)
            if pair.hasPrefix("updraft_csrf=") { csrf = String(pair.dropFirst("updraft_csrf=".count)) }
        }
        return (cookie.joined(separator: "; "), csrf)
    }

    /// A form POST (urlencoded), with the cookie header if given.
    func form(_ uri: String, _ fields: [String: String], cookie: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        let body = fields.sorted { $0.key < $1.key }.map { name, value in
            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)
        }.joined(separator: "&")
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}
