import FuzzSupport

// Internal access for the tokenizer only: see `chunkingChangesNothing`.
@testable import SeatSources

// Every input is read as a CSV export under each configuration below, through the public reader on a real file,
// and tokenized in chunks cut in several ways.

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
package func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    scratch.replaceContents(with: input.bytes)
    for configuration in configurations {
        SourceCheck.read(
            CSVSource(settings: configuration.settings, options: configuration.options),
            contract: ReadingContract(
                settings: configuration.settings,
                input: input,
                features: configuration.features,
                usersMayHoldNoSeat: true,
                customersMayBeBare: false
            ),
            namesLine: { $0 is CSVError ? true : nil }
        )
    }
    chunkingChangesNothing(input)
    return 0
}

/// What the tokenizer makes of a whole file: every record with the position of each field, and how it ended.
private struct Tokenized: Equatable {
    var records: [[String]] = []
    var positions: [[TextPosition]] = []
    var lines: [Int] = []
    var delimiter: UInt8?
    var error: String?
}

/// Requires the tokenizer to emit the same records, positions and error whatever the chunks it is fed.
private func chunkingChangesNothing(_ input: FuzzInput) {
    let results = Chunking.plans(for: input.bytes).map { tokenize(input.bytes, in: $0) }
    for result in results.dropFirst() {
        Invariant.require(result == results[0], "chunking changed the tokens: \(results[0]) versus \(result)")
    }
}

private func tokenize(_ bytes: UnsafeRawBufferPointer, in chunks: [Range<Int>]) -> Tokenized {
    var tokenizer = CSVTokenizer(file: scratch.path, delimiter: nil)
    var result = Tokenized()
    let collect: (CSVRecord) -> Void = { record in
        result.records.append((0..<record.fieldCount).map { record.field($0) })
        result.positions.append((0..<record.fieldCount).map { record.position(ofField: $0) })
        result.lines.append(record.line)
    }
    do {
        for chunk in chunks { try tokenizer.feed(UnsafeRawBufferPointer(rebasing: bytes[chunk]), collect) }
        try tokenizer.finish(collect)
    } catch {
        result.error = "\(error)"
    }
    result.delimiter = tokenizer.delimiter
    return result
}

@main
enum FuzzCSV {
    static func main() {
        FuzzDriver.run(fuzzCSV)
    }
}
