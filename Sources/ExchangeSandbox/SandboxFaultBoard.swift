/// The faults armed on a sandbox. Each request takes the faults that match it, in the order armed;
/// a rule with a count is used up after that many requests. `malformedRow` is a property of the file
/// rather than of one response (its zip and `.CHECKSUM` must agree), so it stays until cleared.
final class SandboxFaultBoard: Sendable {
    private let rules = Locked<[SandboxFaultRule]>([])

    func arm(_ rule: SandboxFaultRule) {
        rules.withLock { $0.append(rule) }
    }

    func clear() {
        rules.withLock { $0.removeAll() }
    }

    var armed: [SandboxFaultRule] { rules.withLock { $0 } }

    /// The faults for one request, consuming one firing of each matching rule.
    func take(route: SandboxRoute, target: String) -> [SandboxFault] {
        rules.withLock { rules in
            var fired: [SandboxFault] = []
            for index in rules.indices
            where rules[index].route == route
                && (rules[index].matching.isEmpty || target.contains(rules[index].matching))
                && (rules[index].times ?? 1) > 0
            {
                fired.append(rules[index].fault)
                if case .malformedRow = rules[index].fault { continue }
                if let times = rules[index].times { rules[index].times = times - 1 }
            }
            rules.removeAll { ($0.times ?? 1) <= 0 }
            return fired
        }
    }

    /// The bad row armed for a file, without using the rule up.
    func malformedLine(target: String) -> Int? {
        rules.withLock { rules in
            for rule in rules where rule.route == .archiveZip && (rule.matching.isEmpty || target.contains(rule.matching)) {
                if case .malformedRow(let line) = rule.fault { return line }
            }
            return nil
        }
    }
}
