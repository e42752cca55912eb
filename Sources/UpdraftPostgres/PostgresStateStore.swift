import Foundation
import UpdraftStore
