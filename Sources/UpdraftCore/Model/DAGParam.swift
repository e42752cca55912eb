/// A typed DAG parameter with a default; a trigger's conf is checked against the DAG's params.
///
/// ```swift
/// params: [.integer("n", default: 200), .string("marker_dir", default: nil)]
/// ```
public struct DAGParam: Sendable, Hashable {
    /// The JSON type a param accepts.
    public enum Kind: String, Sendable, Hashable { case string, integer, number, boolean, array, object }

    public var name: String
    public var kind: Kind
    /// Used when the conf leaves the key out; `.null` means "no value".
    public var defaultValue: JSONValue
    public var description: String

    /// A param of `kind` with a default (`.null`: none).
    public init(_ name: String, kind: Kind, default defaultValue: JSONValue = .null, description: String = "") {
        self.name = name; self.kind = kind; self.defaultValue = defaultValue; self.description = description
    }

    /// A string param.
    public static func string(_ name: String, default value: String?, description: String = "") -> DAGParam {
        DAGParam(name, kind: .string, default: value.map(JSONValue.string) ?? .null, description: description)
    }
    /// A whole-number param.
    public static func integer(_ name: String, default value: Int?, description: String = "") -> DAGParam {
        DAGParam(name, kind: .integer, default: value.map { .number(Double($0)) } ?? .null, description: description)
    }
    /// A number param.
    public static func number(_ name: String, default value: Double?, description: String = "") -> DAGParam {
        DAGParam(name, kind: .number, default: value.map(JSONValue.number) ?? .null, description: description)
    }
    /// A boolean param.
    public static func boolean(_ name: String, default value: Bool?, description: String = "") -> DAGParam {
        DAGParam(name, kind: .boolean, default: value.map(JSONValue.bool) ?? .null, description: description)
    }

    /// Whether `value` has this param's type (`null` always fits).
    public func accepts(_ value: JSONValue) -> Bool {
        switch (kind, value) {
        case (_, .null): true
        case (.string, .string), (.boolean, .bool), (.number, .number), (.array, .array), (.object, .object): true
        case (.integer, .number): value.intValue != nil
        default: false
        }
    }
}

/// A trigger conf that does not match the DAG's params; names the DAG and the key.
public struct ConfError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    /// An error with this message.
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension Array where Element == DAGParam {
    /// The conf merged over the defaults; throws on an unknown key or a wrong type.
    public func resolve(_ conf: [String: JSONValue], dagId: String) throws(ConfError) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for param in self where param.defaultValue != .null { result[param.name] = param.defaultValue }
        let known = Dictionary(map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for key in conf.keys.sorted() {
            let value = conf[key]!
            guard let param = known[key] else {
                let allowed = known.keys.sorted().joined(separator: ", ")
                throw ConfError(message: "DAG '\(dagId)': unknown conf key '\(key)' (params: \(allowed.isEmpty ? "none" : allowed))")
            }
            guard param.accepts(value) else {
                throw ConfError(message: "DAG '\(dagId)': conf key '\(key)' must be \(param.kind.rawValue), got \(value.typeName) \(value)")
            }
            result[key] = value
        }
        return result
    }
}
