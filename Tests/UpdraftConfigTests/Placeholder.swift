import Testing
@testable import UpdraftConfig
