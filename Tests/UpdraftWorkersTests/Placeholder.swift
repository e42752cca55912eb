import Testing
@testable import UpdraftWorkers
