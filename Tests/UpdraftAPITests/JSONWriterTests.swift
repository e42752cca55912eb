import Foundation
import HTTPTypes
import Testing
import UpdraftCore

@testable import UpdraftAPI

@Suite struct JSONWriterTests {
    @Test func writesObjectsArraysAndEscapesThatJSONDecoderReadsBack() throws {
        var json = JSONWriter()
        json.object { o in
            o.field("text", "quote \" backslash \\ newline \n tab \t bell \u{07} é 𝄞")
            o.field("number", 42)
            o.field("fraction", 0.25 as Double?)
            o.field("nan", Double.nan as Double?)
            o.field("missing", nil as String?)
            o.field("flag", true)
            o.field("list", strings: ["a", "b"])
            o.field("nested", object: ["k": .array([.number(1), .null]), "quo\"te\n": .string("v")])
        }
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(json.bytes))
        #expect(
            decoded
                == .object([
                    "text": .string("quote \" backslash \\ newline \n tab \t bell \u{07} é 𝄞"), "number": 42, "fraction": .number(0.25),
                    "nan": .null, "missing": .null, "flag": .bool(true), "list": .array(["a", "b"]),
                    "nested": .object(["k": .array([.number(1), .null]), "quo\"te\n": .string("v")]),
                ]))
    }

    @Test(arguments: [
        ("2026-12-06T05:00:00Z", 1_796_533_200.0),
        ("2026-12-06T05:00:00.5+00:00", 1_796_533_200.5),
        ("2026-12-06T07:00:00+02:00", 1_796_533_200.0),
        ("2026-12-06T00:00:00-0500", 1_796_533_200.0),
        ("2026-12-06", 1_796_515_200.0),
        ("1969-12-31T23:59:59Z", -1.0),
    ])
    func parsesISO8601WithAZone(text: String, seconds: Double) {
        #expect(APIDate.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["2026-12-06T05:00:00", "2026-13-01T00:00:00Z", "yesterday", "2026-12-06T05:00Z", "2026-12-06T05:00:00Zjunk", ""])
    func refusesDatesWithoutAZoneOrMalformed(text: String) {
        #expect(APIDate.parse(text) == nil)
    }

    @Test func formatsMicrosecondsInUTCAndRoundTrips() {
        let date = Date(timeIntervalSince1970: 1_796_533_200.123456)
        #expect(APIDate.format(date) == "2026-12-06T05:00:00.123456Z")
        #expect(APIDate.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500000Z")
        for seconds in [0.0, 951_782_400, 4_107_542_400.999999, -86_400 * 365.0] {
            let parsed = APIDate.parse(APIDate.format(Date(timeIntervalSince1970: seconds)))!
            #expect(abs(parsed.timeIntervalSince1970 - seconds) < 1e-5)
        }
    }
}

@Suite struct BodyReaderTests {
    @Test func reportsEveryIssueAtOnceInFastAPIShape() throws {
        var body = try BodyReader(Array(#"{"is_paused": "yes", "extra": 1, "conf": []}"#.utf8))
        _ = body.bool("is_paused", required: true)
        _ = body.string("dag_run_id", required: true)
        _ = body.object("conf")
        #expect(throws: APIError.self) { try body.finish() }
        do {
            try body.finish()
        } catch {
            guard case .validation(let issues) = error.detail else { Issue.record("not a validation error"); return }
            #expect(error.status.code == 422)
            #expect(issues.map(\.type) == ["bool_type", "missing", "dict_type", "extra_forbidden"])
            #expect(issues.map(\.loc) == [["body", "is_paused"], ["body", "dag_run_id"], ["body", "conf"], ["body", "extra"]])
            let json = try JSONDecoder().decode(JSONValue.self, from: Data(error.body()))
            guard case .object(let fields) = json, case .array(let detail)? = fields["detail"], case .object(let first) = detail[0] else {
                Issue.record("bad body \(json)")
                return
            }
            #expect(first["msg"] == .string("Input should be a valid boolean"))
            #expect(first["loc"] == .array(["body", "is_paused"]))
        }
    }

    @Test func malformedJSONAndNonObjectsAre422() {
        for text in ["{", "[1, 2]", "\"text\"", ""] {
            #expect(throws: APIError.self) { _ = try BodyReader(Array(text.utf8)) }
        }
    }

    @Test func acceptsNullForOptionalFieldsAndReadsDates() throws {
        var body = try BodyReader(Array(#"{"logical_date": null, "note": null, "from": "2024-01-01T00:00:00Z"}"#.utf8))
        #expect(body.date("logical_date") == nil)
        #expect(body.string("note") == nil)
        #expect(body.date("from") == Date(timeIntervalSince1970: 1_704_067_200))
        try body.finish()
    }
}

@Suite struct LikePatternTests {
    @Test(arguments: [
        ("flak", "api_flaky", true), ("API_%", "api_params", true), ("a_i", "api", true), ("x", "api", false),
        ("%", "", true), ("", "anything", true), ("p%s", "api_params", true), ("par%z", "api_params", false),
    ])
    func matchesAsSQLLikeAnywhere(pattern: String, value: String, expected: Bool) {
        #expect(likeMatches(pattern, value) == expected)
    }
}
