import Testing
@testable import UpdraftCLI
