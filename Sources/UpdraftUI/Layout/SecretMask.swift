import Foundation
import UpdraftCore
import UpdraftStore

/// Values shown on pages with the secrets hidden, by key name as variables are
/// (``SensitiveNames``): a conf or an XCom holding `{"api_key": …}` shows `***`.
public enum SecretMask {
    /// `value` with the value of every sensitive key, at any depth, replaced by the mask.
    public static func masked(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let fields):
            var result: [String: JSONValue] = [:]
            for (key, field) in fields {
                result[key] = SensitiveNames.isSensitive(key) ? .string(SensitiveNames.mask) : masked(field)
            }
            return .object(result)
        case .array(let items): return .array(items.map(masked))
        default: return value
        }
    }

    /// JSON bytes as indented text with sorted keys and secrets masked; other bytes as text.
    public static func text(ofJSON bytes: [UInt8]) -> String {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            return String(decoding: bytes, as: UTF8.self)  // not JSON: shown as it is
        }
        return pretty(masked(value))
    }

    /// Indented JSON with sorted keys.
    public static func pretty(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return value.description }  // plain JSON always encodes
        return String(decoding: data, as: UTF8.self)
    }
}
