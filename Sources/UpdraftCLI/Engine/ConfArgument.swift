import UpdraftRuntime

/// `--conf`: a JSON object of run conf. Anything else is a usage error (exit 2).
enum ConfArgument {
    static func parse(_ text: String) throws -> [String: JSONValue] {
        let value: JSONValue
        do { value = try JSONValue.parse(text, source: "--conf") } catch { throw CLIError.usage("\(error)") }
        guard case .object(let object) = value else { throw CLIError.usage("--conf must be a JSON object, got \(text)") }
        return object
    }
}
