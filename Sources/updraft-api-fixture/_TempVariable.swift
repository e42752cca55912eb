import UpdraftCLI
// TEMPORARY until the store branch merges.
extension TaskContext { func variable(_ key: String) throws -> String? { nil } }
