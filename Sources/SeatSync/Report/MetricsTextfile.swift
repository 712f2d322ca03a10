import Foundation
import SeatSources

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ``PassMetrics`` as a Prometheus textfile (the text exposition format node_exporter's textfile collector reads),
/// written whole after each pass, so "held for more than 2 days" is one alert expression:
/// `seat_sync_oldest_hold_age_seconds > 2 * 86400`.
///
/// Every value is a gauge describing the last pass. An age with nothing to measure (nothing held, nothing pending)
/// is left out rather than written as 0, which would read as "held just now".
package enum MetricsTextfile {
    /// The file's mode: node_exporter runs as another user and must be able to read it.
    static let permissions: mode_t = 0o644

    /// The metrics as the text exposition format: `# HELP` and `# TYPE` lines, then the samples.
    package static func render(_ metrics: PassMetrics) -> String {
        let customers = metrics.customers
        var families: [Family] = [
            Family(
                "seat_sync_last_pass_end_timestamp_seconds",
                "When the last pass ended, in seconds since 1970-01-01 UTC.",
                metrics.finishedAt.timeIntervalSince1970
            ),
            Family("seat_sync_last_pass_success", "1 if the last pass succeeded, 0 if not.", metrics.success ? 1 : 0),
            Family(
                "seat_sync_last_pass_exit_code",
                "The last pass's exit code: 0 ok, 1 errors, 2 changes to write (dry run), 3 changes held.",
                Double(metrics.exitCode.rawValue)
            ),
            Family(
                "seat_sync_last_pass_duration_seconds",
                "How long the last pass took.",
                metrics.duration.timeInterval
            ),
            Family(
                "seat_sync_last_pass_customers",
                "Customers of the last pass by outcome; a customer written and held counts in both.",
                samples: [
                    ("in_sync", customers.inSync), ("changed", customers.changed), ("failed", customers.failed),
                    ("held", customers.held), ("pending", customers.pending),
                ].map { (#"{outcome="\#($0.0)"}"#, Double($0.1)) }
            ),
            Family(
                "seat_sync_seats_held",
                "Seats the guard holds back from removal until an operator approves.",
                Double(metrics.seatsHeld)
            ),
            Family(
                "seat_sync_seats_pending",
                "Seats Commet accepted to remove but has not removed yet.",
                Double(metrics.seatsPending)
            ),
        ]
        if let age = metrics.oldestHoldAge {
            families.append(
                Family(
                    "seat_sync_oldest_hold_age_seconds",
                    "How long the oldest held decrease has waited; absent when none is held.",
                    age.timeInterval
                )
            )
        }
        if let age = metrics.oldestPendingAge {
            families.append(
                Family(
                    "seat_sync_oldest_pending_age_seconds",
                    "How long the oldest pending decrease has waited for Commet; absent when none is pending.",
                    age.timeInterval
                )
            )
        }
        return families.map(\.text).joined()
    }

    /// Replaces `path` with the rendered metrics, atomically, mode 0644.
    /// - Throws: ``AtomicFileError`` naming `path` and the step that failed; the previous file is then unchanged.
    package static func write(_ metrics: PassMetrics, to path: String) throws(AtomicFileError) {
        try AtomicFile.write(Array(render(metrics).utf8), to: path, permissions: permissions)
    }

    /// One metric: its name, help text and samples (labels, value).
    private struct Family {
        let name: String
        let help: String
        let samples: [(labels: String, value: Double)]

        init(_ name: String, _ help: String, _ value: Double) {
            self.init(name, help, samples: [("", value)])
        }

        init(_ name: String, _ help: String, samples: [(labels: String, value: Double)]) {
            self.name = name
            self.help = help
            self.samples = samples
        }

        var text: String {
            var text = "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for sample in samples { text += "\(name)\(sample.labels) \(Self.number(sample.value))\n" }
            return text
        }

        /// Whole numbers without a fraction (`3`, not `3.0`); others as Swift's shortest exact spelling.
        private static func number(_ value: Double) -> String {
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return "\(value)"
        }
    }
}
