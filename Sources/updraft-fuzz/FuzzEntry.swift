import Foundation

#if UPDRAFT_FUZZ
import CLibFuzzer
#endif

/// The fuzz build (`-sanitize=fuzzer,address -DUPDRAFT_FUZZ`, Tests/fuzz/run) hands the process
/// to libFuzzer's driver with the target `UPDRAFT_FUZZ_TARGET` names. Without libFuzzer,
/// `updraft-fuzz TARGET FILE…` replays inputs (a crash, a corpus) through a target.
@main
enum FuzzEntry {
    static func main() {
        #if UPDRAFT_FUZZ
        _ = FuzzTarget.selected  // an unknown target stops here, before libFuzzer starts
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(
            LLVMFuzzerRunDriver(&argc, &argv) { data, size in
                FuzzTarget.selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
                return 0
            })
        #else
        replay(CommandLine.arguments.dropFirst())
        #endif
    }

    static func replay(_ arguments: ArraySlice<String>) {
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(Data("usage: updraft-fuzz \(names) FILE...\n".utf8))
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("updraft-fuzz: cannot read \(path)\n".utf8))
                exit(1)
            }
            target.run([UInt8](data))
            print("\(name): \(path) ok")
        }
    }
}
