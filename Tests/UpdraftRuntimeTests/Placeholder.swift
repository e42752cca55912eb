import Testing
@testable import UpdraftRuntime
