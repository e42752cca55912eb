/// `--home` and `--config` written before the subcommand (`updraft --home H dags list`): taken
/// off the command line here, and used by ``HomeOptions`` when the subcommand names none.
struct LeadingOptions: Sendable, Equatable {
    var home: String?
    var config: String?

    /// Splits the leading `--home DIR`, `--home=DIR`, `--config FILE`, `--config=FILE` options
    /// from the rest of the command line. A flag without its value is left for the parser, which
    /// reports it.
    static func split(_ arguments: [String]) -> (LeadingOptions, [String]) {
        var options = LeadingOptions()
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            var name = argument
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard name == "--home" || name == "--config" else { break }
            if value == nil {
                guard index + 1 < arguments.endIndex else { break }
                value = arguments[index + 1]
                index += 1
            }
            if name == "--home" { options.home = value } else { options.config = value }
            index += 1
        }
        return (options, Array(arguments[index...]))
    }
}
