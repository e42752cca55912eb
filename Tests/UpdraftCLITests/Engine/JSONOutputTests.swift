import Foundation
import Testing
import UpdraftRuntime

@testable import UpdraftCLI

@Suite struct JSONOutputTests {
    @Test func writerProducesValidSortedJSON() throws {
        let value: JSONValue = ["b": "quote \" slash \\ newline \n tab \t bell \u{7}", "a": [1, 2.5, nil, true], "c": ["z": 0]]
        var text = ""
        JSONOutput.write(value, to: &text)
        #expect(text.hasPrefix(#"{"a":[1,2.5,null,true],"b":"quote \" slash \\ newline \n tab \t bell \u0007","c":{"z":0}}"#))
        let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(parsed == value)
    }

    @Test func runRowsUseAirflowFieldNames() {
        let run = DAGRun(
            dagId: "etl", runId: "manual__2024-01-01T00:00:00+00:00", runType: .manual,
            logicalDate: .utc(2024, 1, 1), dataInterval: DataInterval(start: .utc(2024, 1, 1), end: .utc(2024, 1, 2)),
            queuedAt: .utc(2024, 1, 1))
        guard case .object(let fields) = JSONOutput.run(run) else { Issue.record("not an object"); return }
        #expect(
            Set(fields.keys).isSuperset(of: [
                "dag_id", "run_id", "state", "run_type", "logical_date", "data_interval_start",
                "data_interval_end", "start_date", "end_date", "conf",
            ]))
        #expect(fields["data_interval_end"] == "2024-01-02T00:00:00+00:00")
        let task = JSONOutput.task(TaskInstance(runId: "r", dagId: "etl", taskId: "g.t", group: "g"))
        guard case .object(let taskFields) = task else { Issue.record("not an object"); return }
        #expect(Set(taskFields.keys).isSuperset(of: ["task_id", "group", "state", "try_number", "start_date", "end_date", "duration"]))
    }
}
