import FuzzSupport

// Internal access for the line splitter only: see `chunkingChangesNothing`.
@testable import SeatSources

// Every input is read as an LDIF export under each configuration below, through the public reader on a real file,
// and split into logical lines in chunks cut in several ways.

private let scratch = ScratchFile(named: "groups.ldif")

/// One way the LDIF reader is configured; each picks customers and user ids differently.
private struct Configuration: Sendable {
    var settings: SourceSettings
    var options: LDIFOptions
}

private let configurations = [
    // Customer from an RDN, ids from uid, an empty export allowed: slapcat, ldapsearch, posixGroup shapes.
    Configuration(
        settings: SourceSettings(name: "rdn", path: scratch.path, allowEmpty: true),
        options: LDIFOptions(
            customer: .rdn("o"),
            groups: ["editors": "editor", "Viewers": "viewer", "admins": "admin", "tps-reviewers": "editor"]
        )
    ),
    // Customer from an attribute of the group, ids from mail: 389-ds and FreeIPA shapes.
    Configuration(
        settings: SourceSettings(name: "attribute", path: scratch.path),
        options: LDIFOptions(
            customer: .attribute("businessCategory"),
            groups: ["editors": "editor", "viewers": "viewer", "admins": "admin", "hooli-editors": "editor"],
            userIDAttribute: "mail"
        )
    ),
    // AD ldifde: customer from an upper-case OU RDN, ids from sAMAccountName.
    Configuration(
        settings: SourceSettings(name: "ad", path: scratch.path),
        options: LDIFOptions(
            customer: .rdn("OU"),
            groups: ["editors": "editor", "viewers": "viewer"],
            userIDAttribute: "sAMAccountName"
        )
    ),
]

@_cdecl("LLVMFuzzerTestOneInput")
package func fuzzLDIF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    scratch.replaceContents(with: input.bytes)
    for configuration in configurations {
        SourceCheck.read(
            LDIFSource(settings: configuration.settings, options: configuration.options),
            contract: ReadingContract(
                settings: configuration.settings,
                input: input,
                features: .mapped(Set(configuration.options.groups.values)),
                usersMayHoldNoSeat: false,
                customersMayBeBare: true
            ),
            namesLine: { $0 is LDIFError ? true : nil }
        )
    }
    chunkingChangesNothing(input)
    return 0
}

/// Records what the line splitter hands on.
private struct Recorder: LDIFLineSink {
    enum Event: Equatable {
        case line(number: Int, bytes: [UInt8])
        case endOfRecord
    }

    var events: [Event] = []
    var error: String?

    mutating func line(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws {
        events.append(.line(number: number, bytes: Array(line)))
    }

    mutating func endOfRecord() throws { events.append(.endOfRecord) }
}

/// Requires the splitter to hand on the same logical lines, records and error whatever the chunks it is fed.
private func chunkingChangesNothing(_ input: FuzzInput) {
    let results = Chunking.plans(for: input.bytes).map { chunks in
        var splitter = LDIFLineSplitter(file: scratch.path)
        var recorder = Recorder()
        do {
            for chunk in chunks {
                try splitter.feed(UnsafeRawBufferPointer(rebasing: input.bytes[chunk]), into: &recorder)
            }
            try splitter.finish(into: &recorder)
        } catch {
            recorder.error = "\(error)"
        }
        return (events: recorder.events, error: recorder.error)
    }
    for result in results.dropFirst() {
        Invariant.require(
            result.events == results[0].events && result.error == results[0].error,
            "chunking changed the lines: \(results[0]) versus \(result)"
        )
    }
}

@main
enum FuzzLDIF {
    static func main() {
        FuzzDriver.run(fuzzLDIF)
    }
}
