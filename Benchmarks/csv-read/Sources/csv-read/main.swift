import Foundation
import SeatSources

// Reads a generated users CSV with CSVSource and prints rows, bytes, wall time, CPU time and peak memory.
// Peak memory should follow distinct users, not rows: compare `1000000 10000` with `100000 10000`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = CommandLine.arguments
let rows = arguments.count > 1 ? Int(arguments[1])! : 1_000_000
let distinctUsers = arguments.count > 2 ? Int(arguments[2])! : 10_000

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("csv-read-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let path = directory.appendingPathComponent("users.csv").path

// An Okta-like export: CRLF, a quoted cell holding a comma, multi-role cells, 2,000 customers.
FileManager.default.createFile(atPath: path, contents: nil)
let handle = FileHandle(forWritingAtPath: path)!
var text = "customer,email,first name,last name,role,department\r\n"
let roles = ["Editor", "Viewer", "Owner", "Editor|Viewer"]
for row in 0..<rows {
    let user = row % distinctUsers
    text += "cust-\(user % 2000),user\(user)@example.com,First\(user),\"Last, \(user)\",\(roles[row % 4]),Sales\r\n"
    if text.utf8.count > 1 << 20 {
        handle.write(Data(text.utf8))
        text = ""
    }
}
handle.write(Data(text.utf8))
try handle.close()
let bytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int

let source = CSVSource(
    settings: SourceSettings(name: "bench", path: path),
    options: CSVOptions(
        columns: .users(customer: "customer", user: "email", role: "role"),
        roleSeparator: "|",
        roles: ["editor": "editor", "viewer": "viewer", "owner": "admin"]
    )
)

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(0, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

let cpuBefore = cpuSeconds()
let start = ContinuousClock.now
let reading = try source.read(now: Date())
let wall = ContinuousClock.now - start
let cpu = cpuSeconds() - cpuBefore
var usage = rusage()
getrusage(0, &usage)
let users = reading.customers.values.reduce(0) { $0 + $1.users.count }
print(
    "rows \(rows)  bytes \(bytes)  customers \(reading.customers.count)  users \(users)  "
        + "wall \(wall.formatted(.units(allowed: [.milliseconds])))  "
        + "cpu \(Int(cpu * 1000)) ms  peak RSS \(usage.ru_maxrss / 1024) MiB"
)
