import FuzzSupport
@testable import SeatSources
@testable import SeatSync

// Every input is loaded as seat-sync.yaml through the public loader on a real file, with no environment overrides.

private let scratch = ScratchFile(named: "seat-sync.yaml")

@_cdecl("LLVMFuzzerTestOneInput")
package func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    scratch.replaceContents(with: input.bytes)
    let config: SeatSyncConfig
    do {
        config = try ConfigLoader.load(path: scratch.path, environment: [:])
    } catch {
        let namesLine: Bool
        switch error {
        case .syntax, .invalid: namesLine = true
        case .unreadable: namesLine = false
        default: Invariant.fail("unexpected config error without environment: \(error)")
        }
        ErrorCheck.requireLocated(error, file: scratch.path, lastLine: yamlLastLine(input), namesLine: namesLine)
        return 0
    }
    check(config)
    return 0
}

/// The highest line a YAML message may name: YAML 1.1, which libyaml reads, also breaks lines at NEL, LS and PS.
private func yamlLastLine(_ input: FuzzInput) -> Int {
    let bytes = Array(input.bytes)
    var breaks = 0
    for (index, byte) in bytes.enumerated() {
        if byte == 0x0A || byte == 0x0D { breaks += 1 }
        if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0x85 { breaks += 1 }
        if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0xA8 {
            breaks += 1
        }
    }
    return breaks + 1
}

/// What a loaded config promises: every value within the range the loader enforces, every path absolute (the
/// config file's path is), source names unique.
private func check(_ config: SeatSyncConfig) {
    Invariant.require(config.file == scratch.path, "config names file \(config.file)")
    let commet = config.commet
    Invariant.require(commet.timeout > .zero && commet.connectTimeout > .zero, "timeouts \(commet)")
    Invariant.require((0...10).contains(commet.maxRetries), "max_retries \(commet.maxRetries)")
    Invariant.require(
        commet.requestsPerSecond > 0 && commet.requestsPerSecond <= 10_000,
        "requests_per_second \(commet.requestsPerSecond)"
    )
    Invariant.require((1...64).contains(commet.concurrency), "concurrency \(commet.concurrency)")
    for path in [commet.apiKeyFile, commet.caBundle, config.stateDirectory].compactMap({ $0 }) {
        Invariant.require(path.hasPrefix("/"), "relative path \(path.debugDescription) left unresolved")
    }
    let schedule = config.schedule
    Invariant.require(
        schedule.interval > .zero && schedule.jitter >= .zero && schedule.jitter <= schedule.interval,
        "schedule \(schedule)"
    )
    let limits = config.policy.guardLimits
    Invariant.require(
        (0...1).contains(limits.maxRemovedFraction) && (0...1).contains(limits.maxCustomerRemovedFraction)
            && limits.maxRemovedSeats >= 0,
        "guard \(limits)"
    )
    Invariant.require(
        Set(config.policy.zeroCustomers).count == config.policy.zeroCustomers.count,
        "zero_customers repeat: \(config.policy.zeroCustomers)"
    )
    Invariant.require(!config.sourceDefinitions.isEmpty, "no sources")
    Invariant.require(
        config.sources(lastAppliedSequences: [:]).count == config.sourceDefinitions.count,
        "sources and definitions differ"
    )
    var names: Set<String> = []
    for definition in config.sourceDefinitions {
        let settings = definition.settings
        Invariant.require(names.insert(settings.name).inserted, "source name \(settings.name) repeats")
        Invariant.require(!settings.name.isEmpty, "empty source name")
        Invariant.require(settings.path.hasPrefix("/"), "source path \(settings.path.debugDescription) is relative")
        if let maxAge = settings.maxAge { Invariant.require(maxAge > .zero, "max_age \(maxAge)") }
    }
}

@main
enum FuzzConfig {
    static func main() {
        FuzzDriver.run(fuzzConfig)
    }
}
