import FuzzSupport
import SeatSources

#if canImport(Glibc)
import Glibc
#endif

// Every input is read as a CSV export under each configuration below, through the public reader on a real file.

private let scratch = ScratchFile(named: "users.csv")

/// One way the CSV reader is configured; each covers a different path through the row builder.
private struct Configuration: Sendable {
    var settings: SourceSettings
    var options: CSVOptions
    var features: ReadingContract.Features
}

private let roles = ["Editor": "editor", "Viewer": "viewer", "Owner": "admin", "admin": "admin"]

private let configurations = [
    // Roles as written, several per cell, an empty file allowed.
    Configuration(
        settings: SourceSettings(name: "split", path: scratch.path, allowEmpty: true),
        options: CSVOptions(columns: .users(customer: "customer", user: "user", role: "role"), roleSeparator: "|"),
        features: .asWritten(separator: "|")
    ),
    // Mapped roles and customers, semicolon-delimited exports configured rather than detected.
    Configuration(
        settings: SourceSettings(name: "mapped", path: scratch.path),
        options: CSVOptions(
            columns: .users(customer: "Customer", user: "Email Address [Required]", role: "ROLE"),
            delimiter: UInt8(ascii: ";"),
            roles: roles,
            customers: ["Acme Inc": "acme"]
        ),
        features: .mapped(Set(roles.values))
    ),
    // Pre-counted rows.
    Configuration(
        settings: SourceSettings(name: "counts", path: scratch.path),
        options: CSVOptions(columns: .counts(customer: "customer", feature: "feature", count: "count")),
        features: .mapped([])
    ),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    scratch.replaceContents(with: input.bytes)
    for configuration in configurations {
        SourceCheck.read(
            CSVSource(settings: configuration.settings, options: configuration.options),
            contract: ReadingContract(
                source: configuration.settings.name,
                file: scratch.path,
                lastLine: input.lastLine,
                features: configuration.features,
                usersMayHoldNoSeat: true,
                customersMayBeBare: false,
                allowEmpty: configuration.settings.allowEmpty
            ),
            namesLine: { $0 is CSVError ? true : nil }
        )
    }
    return 0
}

@main
enum FuzzCSV {
    static func main() {
        atexit { scratch.remove() }
        FuzzDriver.run(fuzzCSV)
    }
}
