import CIsal

/// One archive member inflated a slice at a time, for a consumer that starts on the first bytes
/// while the rest inflates (the import parses rows as they come, so the first rows reach the
/// database after one slice instead of a whole month).
///
/// The checks are ``ZipArchive/extract(_:from:)``'s, which is built on this: the declared size
/// is bounded before anything is allocated, and the size and CRC-32 are verified when the member
/// ends. Bytes handed out before that belong to an unverified member: a consumer keeps them
/// provisional (the import's transaction) until ``advance(by:)`` reports the member complete.
public final class ZipMemberReader {
    private let entry: ZipEntry
    private let data: [UInt8]
    private let start: Int
    /// The declared size plus one spare byte, which shows a member inflating past its size. Not
    /// zeroed: its pages are first touched by the slice that fills them, not all before the first.
    private let output: UnsafeMutableRawBufferPointer
    private let ownsOutput: Bool
    private var produced = 0
    private var consumed = 0
    private var crc: UInt32 = 0
    /// ISA-L's inflate state (about 85 KB, so on the heap), for a deflated member.
    private var stream: UnsafeMutablePointer<inflate_state>?
    /// Whether the member has ended, its size and CRC-32 verified.
    public private(set) var isComplete = false
    /// The error a call threw: every later call throws it again rather than go on from it.
    private var failure: ZipError?

    /// Checks the member's declared sizes and local header, and readies the inflater.
    public convenience init(_ entry: ZipEntry, in data: [UInt8]) throws(ZipError) {
        let start = try Self.locate(entry, in: data)
        try self.init(
            entry, in: data, at: start,
            output: .allocate(byteCount: entry.uncompressedSize + 1, alignment: 16), owned: true)
    }

    /// A reader that inflates into `output` (at least the declared size plus one byte), which
    /// the caller owns; `start` is ``locate(_:in:)``'s.
    init(
        _ entry: ZipEntry, in data: [UInt8], at start: Int, output: UnsafeMutableRawBufferPointer, owned: Bool
    ) throws(ZipError) {
        precondition(output.count > entry.uncompressedSize, "ZipMemberReader: output smaller than the member")
        self.entry = entry
        self.data = data
        self.start = start
        self.output = output
        self.ownsOutput = owned
        if entry.method == 8 {
            // Raw deflate (`crc_flag` ISAL_DEFLATE): zip keeps the CRC-32 in its headers, checked here.
            let stream = UnsafeMutablePointer<inflate_state>.allocate(capacity: 1)
            isal_inflate_init(stream)
            self.stream = stream
        }
    }

    /// Checks a member's declared sizes, method and local header before anything is allocated
    /// for it; returns where its data starts.
    static func locate(_ entry: ZipEntry, in data: [UInt8]) throws(ZipError) -> Int {
        func fail(_ reason: String) -> ZipError { ZipError(source: entry.source, entry: entry.name, reason: reason) }
        let header = entry.localHeaderOffset
        guard entry.compressedSize >= 0, entry.uncompressedSize >= 0 else {
            throw fail("negative size (compressed \(entry.compressedSize), uncompressed \(entry.uncompressedSize))")
        }
        // The declared size is allocated at once, so it is checked first: a few corrupt (or
        // hostile) bytes must not cost gigabytes.
        guard entry.uncompressedSize <= ZipArchive.maximumMemberSize else {
            throw fail(
                "declares \(entry.uncompressedSize) bytes uncompressed, over the \(ZipArchive.maximumMemberSize)-byte limit")
        }
        guard entry.uncompressedSize / ZipArchive.maximumDeflateRatio <= entry.compressedSize else {
            throw fail(
                "declares \(entry.uncompressedSize) bytes uncompressed from \(entry.compressedSize) compressed, "
                    + "more than deflate can produce (corrupt)")
        }
        guard header >= 0, header + 30 <= data.count, data.readUInt32(at: header) == ZipArchive.localHeaderSignature else {
            throw fail("local header missing at offset \(header) (truncated or corrupt)")
        }
        let start = header + 30 + Int(data.readUInt16(at: header + 26)) + Int(data.readUInt16(at: header + 28))
        guard start + entry.compressedSize <= data.count else {
            throw fail("compressed data runs past the end of the file (truncated)")
        }
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else { throw fail("stored member sizes differ") }
        case 8: break
        default:
            throw fail("compression method \(entry.method) is not supported (only stored and deflate)")
        }
        return start
    }

    deinit {
        if ownsOutput { output.deallocate() }
        stream?.deallocate()
    }

    /// How many bytes are out so far.
    public var count: Int { produced }
    /// How many bytes the member declares.
    public var expectedCount: Int { entry.uncompressedSize }

    /// Inflates up to `bytes` more bytes; returns whether the member is complete (its size and
    /// CRC-32 verified). Throws, naming the member, when it is truncated or corrupt.
    @discardableResult
    public func advance(by bytes: Int) throws(ZipError) -> Bool {
        if let failure { throw failure }
        do {
            return try step(by: bytes)
        } catch {
            failure = error
            throw error
        }
    }

    private func step(by bytes: Int) throws(ZipError) -> Bool {
        guard !isComplete else { return true }
        let expected = entry.uncompressedSize
        let room = min(bytes, output.count - produced)
        let before = produced
        let out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        // What this call left: input bytes, output room, whether the stream ended, ISA-L's status.
        let (availableIn, roomLeft, ended, status) = data.withUnsafeBufferPointer { input -> (Int, Int, Bool, Int32) in
            if let stream {
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + start + consumed)
                stream.pointee.avail_in = UInt32(entry.compressedSize - consumed)
                stream.pointee.next_out = out + produced
                stream.pointee.avail_out = UInt32(room)
                let status = isal_inflate(stream)
                consumed = entry.compressedSize - Int(stream.pointee.avail_in)
                produced += room - Int(stream.pointee.avail_out)
                return (
                    Int(stream.pointee.avail_in), Int(stream.pointee.avail_out),
                    stream.pointee.block_state == ISAL_BLOCK_FINISH, status
                )
            }
            // Stored: the bytes as they are.
            let copied = min(room, expected - produced)
            if copied > 0 { (out + produced).update(from: input.baseAddress! + start + produced, count: copied) }
            produced += copied
            return (expected - produced, room - copied, produced == expected, ISAL_DECOMP_OK)
        }
        crc = crc32_gzip_refl(crc, out + before, UInt64(produced - before))
        if status < 0 {
            // ISA-L decodes ahead into a buffer of its own (tens of KB past the room it was given):
            // corruption it met past the declared size is the "more than declared" of a member
            // inflated whole, which stops at the declared size plus one.
            let ahead = stream.map { Int($0.pointee.tmp_out_valid) - Int($0.pointee.tmp_out_processed) } ?? 0
            if produced + ahead > expected { throw fail("inflates to more than the declared \(expected) bytes (corrupt)") }
            throw fail("corrupt deflate data: \(Self.describe(status))")
        }
        if produced > expected { throw fail("inflates to more than the declared \(expected) bytes (corrupt)") }
        if ended {
            guard produced == expected else { throw fail("inflated \(produced) bytes, expected \(expected)") }
            guard crc == entry.crc32 else {
                throw fail("CRC-32 mismatch (expected \(ZipArchive.hex(entry.crc32)), got \(ZipArchive.hex(crc)))")
            }
            isComplete = true
            return true
        }
        // Room left over means the inflater stopped for want of input: the stream is cut short.
        guard roomLeft == 0 else {
            throw fail(availableIn == 0 ? "deflate stream ends early (truncated)" : "inflate stopped with input left (corrupt)")
        }
        return false
    }

    /// ISA-L's name for an inflate error.
    static func describe(_ status: Int32) -> String {
        switch status {
        case ISAL_INVALID_BLOCK: "invalid block"
        case ISAL_INVALID_SYMBOL: "invalid symbol"
        case ISAL_INVALID_LOOKBACK: "invalid distance too far back"
        default: "ISA-L inflate error \(status)"
        }
    }

    /// Calls `body` with the bytes out so far.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        body(UnsafeRawBufferPointer(start: output.baseAddress, count: produced))
    }

    /// A copy of the whole member, once complete.
    public func bytes() -> [UInt8] {
        precondition(isComplete, "ZipMemberReader.bytes() before the member is complete")
        return [UInt8](UnsafeRawBufferPointer(start: output.baseAddress, count: produced))
    }

    private func fail(_ reason: String) -> ZipError {
        ZipError(source: entry.source, entry: entry.name, reason: reason)
    }
}
