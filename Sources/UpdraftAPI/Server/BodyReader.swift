import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// Reads a JSON request body field by field, as FastAPI's models do: a field of the wrong type,
/// a missing required field and (with `finish()`) an unknown field become 422 issues, all of
/// them reported at once.
///
/// ```swift
/// var body = try BodyReader(bytes)
/// let paused = body.bool("is_paused", required: true)
/// try body.finish()   // throws APIError(422) naming every bad field
/// ```
public struct BodyReader {
    public let fields: [String: JSONValue]
    private var read: Set<String> = []
    private var issues: [ValidationIssue] = []

    /// Parses `bytes` as a JSON object (422 `json_invalid` or `model_attributes_type` otherwise).
    public init(_ bytes: [UInt8]) throws(APIError) {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw APIError(validation: [
                ValidationIssue(type: "json_invalid", loc: ["body", "0"], msg: "JSON decode error")
            ])
        }
        guard case .object(let fields) = value else {
            throw APIError(validation: [
                ValidationIssue(
                    type: "model_attributes_type", loc: ["body"],
                    msg: "Input should be a valid dictionary or object to extract fields from",
                    input: value)
            ])
        }
        self.fields = fields
    }

    /// Whether the body has `key` (even as null).
    public func has(_ key: String) -> Bool { fields[key] != nil }

    private mutating func take(_ key: String, required: Bool) -> JSONValue? {
        read.insert(key)
        guard let value = fields[key] else {
            if required { issues.append(.missing(["body", key])) }
            return nil
        }
        return value
    }

    private mutating func wrong(_ key: String, _ type: String, _ msg: String, _ value: JSONValue) {
        issues.append(ValidationIssue(type: type, loc: ["body", key], msg: msg, input: value))
    }

    public mutating func string(_ key: String, required: Bool = false, nullable: Bool = true) -> String? {
        guard let value = take(key, required: required) else { return nil }
        if case .string(let text) = value { return text }
        if case .null = value, nullable, !required { return nil }
        wrong(key, "string_type", "Input should be a valid string", value)
        return nil
    }

    public mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = take(key, required: required) else { return nil }
        if case .bool(let flag) = value { return flag }
        if case .null = value, !required { return nil }
        wrong(key, "bool_type", "Input should be a valid boolean", value)
        return nil
    }

    public mutating func int(_ key: String, required: Bool = false, minimum: Int? = nil) -> Int? {
        guard let value = take(key, required: required) else { return nil }
        if case .null = value, !required { return nil }
        guard case .number(let number) = value, number.rounded() == number, abs(number) < 1e15 else {
            wrong(key, "int_type", "Input should be a valid integer", value)
            return nil
        }
        if let minimum, Int(number) < minimum {
            issues.append(
                ValidationIssue(
                    type: "greater_than_equal", loc: ["body", key], msg: "Input should be greater than or equal to \(minimum)",
                    input: value))
            return nil
        }
        return Int(number)
    }

    public mutating func date(_ key: String, required: Bool = false) -> Date? {
        guard let value = take(key, required: required) else { return nil }
        if case .null = value, !required { return nil }
        guard case .string(let text) = value, let date = APIDate.parse(text) else {
            if case .string = value {
                wrong(key, "timezone_aware", "Input should have timezone info (an ISO 8601 date-time with a zone)", value)
            } else {
                wrong(key, "datetime_type", "Input should be a valid datetime", value)
            }
            return nil
        }
        return date
    }

    public mutating func object(_ key: String, required: Bool = false) -> [String: JSONValue]? {
        guard let value = take(key, required: required) else { return nil }
        if case .object(let fields) = value { return fields }
        if case .null = value, !required { return nil }
        wrong(key, "dict_type", "Input should be a valid dictionary", value)
        return nil
    }

    /// Any JSON value (null included).
    public mutating func any(_ key: String, required: Bool = false) -> JSONValue? { take(key, required: required) }

    public mutating func strings(_ key: String, required: Bool = false) -> [String]? {
        guard let value = take(key, required: required) else { return nil }
        if case .null = value, !required { return nil }
        guard case .array(let items) = value else {
            wrong(key, "list_type", "Input should be a valid list", value)
            return nil
        }
        var texts: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                issues.append(
                    ValidationIssue(
                        type: "string_type", loc: ["body", key, String(index)], msg: "Input should be a valid string", input: item))
                return nil
            }
            texts.append(text)
        }
        return texts
    }

    /// One of `allowed` (pydantic's `enum` issue otherwise).
    public mutating func choice(_ key: String, _ allowed: [String], required: Bool = false) -> String? {
        guard let value = take(key, required: required) else { return nil }
        if case .null = value, !required { return nil }
        guard case .string(let text) = value, allowed.contains(text) else {
            let list = allowed.map { "'\($0)'" }
            let expected = list.count > 1 ? list.dropLast().joined(separator: ", ") + " or " + list.last! : list.joined()
            wrong(key, "enum", "Input should be \(expected)", value)
            return nil
        }
        return text
    }

    /// Adds an issue found by the caller (e.g. two fields that must come together).
    public mutating func fail(_ key: String, type: String = "value_error", _ msg: String) {
        issues.append(ValidationIssue(type: type, loc: ["body", key], msg: msg, input: fields[key]))
    }

    /// Throws every issue found, plus one per field the model does not have.
    public func finish() throws(APIError) {
        var all = issues
        for key in fields.keys.sorted() where !read.contains(key) { all.append(.extra(["body", key], fields[key]!)) }
        if !all.isEmpty { throw APIError(validation: all) }
    }
}
