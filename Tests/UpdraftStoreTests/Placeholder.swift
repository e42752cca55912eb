import Testing
@testable import UpdraftStore
