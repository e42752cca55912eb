import Foundation

/// The parsers that read bytes from outside (downloads, files, the command line), each a
/// libFuzzer target of `updraft-fuzz`: the bytes go to the production entry point and every
/// thrown error is described (so the error paths run too). Only a trap, a hang or an
/// unbounded allocation is a finding; a clear error is the expected answer to bad input.
///
/// ```sh
/// UPDRAFT_FUZZ_TARGET=zip .build/fuzz/release/updraft-fuzz .build/fuzz/corpus/zip
/// ```
enum FuzzTarget: String, CaseIterable, Sendable {
    /// Binance kline CSV (``KlineCSV``), with and without a period and interval.
    case klineCSV = "kline-csv"
    /// Zip archives (``ZipArchive``): the central directory, then every member extracted.
    case zip
    /// Binance `.CHECKSUM` files (``ArchiveChecksum``).
    case checksum
    /// Cron expressions (``CronExpression``), with the next and previous fire times.
    case cron
    /// The YAML configuration file (``ConfigLoader``).
    case config
    /// A trigger's `--conf` JSON resolved against a DAG's typed params.
    case conf

    /// The target named by `UPDRAFT_FUZZ_TARGET`, read once (libFuzzer's entry point takes no
    /// context). An unknown or missing name stops the process with the list of names.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["UPDRAFT_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("updraft-fuzz: set UPDRAFT_FUZZ_TARGET to one of \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    /// Feeds one input to the target's parser.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .klineCSV: Self.klineCSV(bytes)
        case .zip: Self.zip(bytes)
        case .checksum: Self.checksum(bytes)
        case .cron: Self.cron(bytes)
        case .config: Self.config(bytes)
        case .conf: Self.conf(bytes)
        }
    }

    /// Describes an expected error: building the message runs the code that names the fault.
    static func describe(_ error: some Error) {
        let message = String(describing: error)
        precondition(!message.isEmpty, "an error without a message")
    }
}
