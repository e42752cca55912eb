import Testing
@testable import UpdraftDAGs
