import FuzzSupport
@testable import SeatSources

// Every input is read as a seat-snapshot JSON file under each configuration below, through the public reader on a
// real file.

private let scratch = ScratchFile(named: "seats.json")

/// One way the snapshot reader is configured.
private struct Configuration: Sendable {
    var settings: SourceSettings
    var options: SnapshotOptions
    var lastAppliedSequence: Int?
}

private let roles = ["Editor": "editor", "viewer": "viewer", "owner": "admin"]

private let configurations = [
    // Roles as written, no sequence applied yet, an empty snapshot allowed.
    Configuration(
        settings: SourceSettings(name: "hook", path: scratch.path, allowEmpty: true),
        options: SnapshotOptions(),
        lastAppliedSequence: nil
    ),
    // Mapped roles after sequence 1000 was applied: anything older is a replay.
    Configuration(
        settings: SourceSettings(name: "mapped", path: scratch.path),
        options: SnapshotOptions(roles: roles),
        lastAppliedSequence: 1000
    ),
]

@_cdecl("LLVMFuzzerTestOneInput")
package func fuzzSnapshot(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    scratch.replaceContents(with: input.bytes)
    for configuration in configurations {
        let source = SnapshotSource(
            settings: configuration.settings,
            options: configuration.options,
            lastAppliedSequence: configuration.lastAppliedSequence
        )
        let contract = ReadingContract(
            settings: configuration.settings,
            input: input,
            features: configuration.options.roles.map { .mapped(Set($0.values)) } ?? .asWritten(separator: nil),
            usersMayHoldNoSeat: true,
            customersMayBeBare: true
        )
        let reading = SourceCheck.read(source, contract: contract) { error in
            guard let error = error as? SnapshotError else { return nil }
            switch error {
            case .unsupportedVersion, .replay: return false
            case .truncated, .malformed, .notUTF8, .invalid: return true
            }
        }
        // A reading must also carry the header that made it acceptable.
        if let reading {
            Invariant.require(reading.generatedAt != nil, "reading without generated_at")
            let sequence = reading.sequence ?? -1
            Invariant.require(
                sequence >= (configuration.lastAppliedSequence ?? 0),
                "sequence \(sequence) accepted after \(configuration.lastAppliedSequence ?? 0)"
            )
        }
    }
    return 0
}

@main
enum FuzzSnapshot {
    static func main() {
        FuzzDriver.run(fuzzSnapshot)
    }
}
