import Foundation
import SeatSources

#if canImport(Glibc)
import Glibc
#endif

// Reads an export with the LDIF source and prints throughput, seats and peak memory.
// Usage: swift run -c release ldif-read FILE.ldif [RUNS]
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: ldif-read FILE.ldif [RUNS]")
    exit(2)
}
let path = arguments[1]
let runs = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
let options = LDIFOptions(
    customer: .rdn("o"),
    groups: ["editors": "editor", "viewers": "viewer", "admins": "admin"]
)
let source = LDIFSource(settings: SourceSettings(name: "bench", path: path), options: options)
let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1e6
/// CPU seconds this process has used, which other load on a shared machine disturbs less than wall time.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

let clock = ContinuousClock()
for run in 1...runs {
    var reading: SourceReading?
    let cpuStart = cpuSeconds()
    let elapsed = try clock.measure { reading = try source.read(now: Date()) }
    let cpu = cpuSeconds() - cpuStart
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let seats = reading!.customers.values.reduce(0) { total, facts in
        total + facts.users.values.reduce(0) { $0 + $1.grants.count }
    }
    print(
        "run \(run): \(String(format: "%.1f", size)) MB in \(String(format: "%.2f", seconds)) s = "
            + "\(String(format: "%.1f", size / seconds)) MB/s (CPU \(String(format: "%.2f", cpu)) s = "
            + "\(String(format: "%.1f", size / cpu)) MB/s); \(reading!.customers.count) customers, \(seats) seats"
    )
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print("peak RSS: \(usage.ru_maxrss / 1024) MB")
