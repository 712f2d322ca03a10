import FuzzSupport
import SeatSources

#if canImport(Glibc)
import Glibc
#endif

// Every input is read as an LDIF export under each configuration below, through the public reader on a real file.

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
public func fuzzLDIF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    scratch.replaceContents(with: input.bytes)
    for configuration in configurations {
        SourceCheck.read(
            LDIFSource(settings: configuration.settings, options: configuration.options),
            contract: ReadingContract(
                source: configuration.settings.name,
                file: scratch.path,
                lastLine: input.lastLine,
                features: .mapped(Set(configuration.options.groups.values)),
                usersMayHoldNoSeat: false,
                customersMayBeBare: true,
                allowEmpty: configuration.settings.allowEmpty
            ),
            namesLine: { $0 is LDIFError ? true : nil }
        )
    }
    return 0
}

@main
enum FuzzLDIF {
    static func main() {
        atexit { scratch.remove() }
        FuzzDriver.run(fuzzLDIF)
    }
}
