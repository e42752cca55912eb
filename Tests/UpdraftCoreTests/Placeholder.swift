import Testing
@testable import UpdraftCore
