import Foundation
import NIOCore
import PostgresNIO

/// An array bind whose elements may be NULL (PostgresNIO's `Array` has no optional elements), for
/// the `UNNEST($1::text[], $2::float8[], …)` of bulk writes: one statement per table per batch.
struct PostgresColumn<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>: PostgresNonThrowingEncodable, Sendable
where Element: Sendable {
    var values: [Element?]

    init(_ values: [Element?]) { self.values = values }

    static var psqlType: PostgresDataType { Element.psqlArrayType }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        // The binary array format: dimensions, has-null flag, element type, then length and lower bound.
        buffer.writeInteger(values.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(values.contains { $0 == nil } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !values.isEmpty else { return }
        buffer.writeInteger(Int32(values.count), as: Int32.self)
        buffer.writeInteger(1, as: Int32.self)
        for value in values {
            guard let value else { buffer.writeInteger(-1, as: Int32.self); continue }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let start = buffer.writerIndex
            value.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - start), at: lengthIndex, as: Int32.self)
        }
    }
}

extension PostgresColumn where Element == Double {
    /// Dates as epoch seconds.
    init(dates: [Date?]) { self.init(dates.map { $0?.timeIntervalSince1970 }) }
}

extension PostgresColumn where Element == ByteBuffer {
    init(bytes: [[UInt8]?]) { self.init(bytes.map { $0.map { ByteBuffer(bytes: $0) } }) }
}

extension Optional where Wrapped == Double {
    /// A nullable epoch-seconds column as a date.
    var date: Date? { map(Date.init(timeIntervalSince1970:)) }
}

extension Double {
    var date: Date { Date(timeIntervalSince1970: self) }
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}
