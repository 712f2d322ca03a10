import Foundation
import SeatSync
import TestSupport
import Testing

@Suite struct MetricsTextfileTests {
    private let metrics = PassMetrics(
        finishedAt: Date(timeIntervalSince1970: 1_795_608_000.5),
        success: false,
        duration: .milliseconds(413),
        customers: .init(inSync: 2, changed: 1, failed: 0, held: 1, pending: 3),
        seatsHeld: 4,
        seatsPending: 5,
        oldestHoldAge: .seconds(190_000),
        oldestPendingAge: .milliseconds(3_600_250),
        exitCode: .decreasesHeld
    )

    @Test func rendersEveryGaugeWithHelpAndType() {
        // Input: a pass that ended at 1795608000.5 after 413 ms, exit 3, 2 in sync, 1 changed, 1 held, 3 pending,
        // 4 seats held for 190000 s at the longest, 5 pending for 3600.25 s.
        // Expected: exactly this text exposition, whole numbers without a fraction.
        #expect(
            MetricsTextfile.render(metrics) == """
                # HELP seat_sync_last_pass_end_timestamp_seconds When the last pass ended, in seconds since 1970-01-01 UTC.
                # TYPE seat_sync_last_pass_end_timestamp_seconds gauge
                seat_sync_last_pass_end_timestamp_seconds 1795608000.5
                # HELP seat_sync_last_pass_success 1 if the last pass succeeded, 0 if not.
                # TYPE seat_sync_last_pass_success gauge
                seat_sync_last_pass_success 0
                # HELP seat_sync_last_pass_exit_code The last pass's exit code: 0 ok, 1 errors, 2 changes to write (dry run), 3 changes held.
                # TYPE seat_sync_last_pass_exit_code gauge
                seat_sync_last_pass_exit_code 3
                # HELP seat_sync_last_pass_duration_seconds How long the last pass took.
                # TYPE seat_sync_last_pass_duration_seconds gauge
                seat_sync_last_pass_duration_seconds 0.413
                # HELP seat_sync_last_pass_customers Customers of the last pass by outcome; a customer written and held counts in both.
                # TYPE seat_sync_last_pass_customers gauge
                seat_sync_last_pass_customers{outcome="in_sync"} 2
                seat_sync_last_pass_customers{outcome="changed"} 1
                seat_sync_last_pass_customers{outcome="failed"} 0
                seat_sync_last_pass_customers{outcome="held"} 1
                seat_sync_last_pass_customers{outcome="pending"} 3
                # HELP seat_sync_seats_held Seats the guard holds back from removal until an operator approves.
                # TYPE seat_sync_seats_held gauge
                seat_sync_seats_held 4
                # HELP seat_sync_seats_pending Seats Commet accepted to remove but has not removed yet.
                # TYPE seat_sync_seats_pending gauge
                seat_sync_seats_pending 5
                # HELP seat_sync_oldest_hold_age_seconds How long the oldest held decrease has waited; absent when none is held.
                # TYPE seat_sync_oldest_hold_age_seconds gauge
                seat_sync_oldest_hold_age_seconds 190000
                # HELP seat_sync_oldest_pending_age_seconds How long the oldest pending decrease has waited for Commet; absent when none is pending.
                # TYPE seat_sync_oldest_pending_age_seconds gauge
                seat_sync_oldest_pending_age_seconds 3600.25

                """
        )
    }

    @Test func agesWithNothingToMeasureAreLeftOut() {
        // Input: the same pass with nothing held and nothing pending (both ages nil), success, exit 0.
        // Expected: no oldest_* metric at all (0 would read as "held just now"); the seat gauges say 0.
        var quiet = metrics
        quiet.oldestHoldAge = nil
        quiet.oldestPendingAge = nil
        quiet.seatsHeld = 0
        quiet.seatsPending = 0
        quiet.success = true
        quiet.exitCode = .success
        let text = MetricsTextfile.render(quiet)
        #expect(!text.contains("oldest"))
        #expect(text.contains("\nseat_sync_seats_held 0\n"))
        #expect(text.contains("\nseat_sync_last_pass_success 1\n"))
        #expect(text.hasSuffix("seat_sync_seats_pending 0\n"))
    }

    @Test func writeReplacesTheFileWholeReadableByOthersAndLeavesNoTemporaryFile() throws {
        // Input: metrics written to seat-sync.prom in a temp folder, then written again after a later pass.
        // Expected: the file reads back as the second rendering, mode 0644, and it is the only file in the folder.
        let folder = try TemporaryDirectory()
        let path = folder.path + "/seat-sync.prom"
        try MetricsTextfile.write(metrics, to: path)
        var later = metrics
        later.finishedAt = metrics.finishedAt.addingTimeInterval(300)
        try MetricsTextfile.write(later, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == MetricsTextfile.render(later))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["seat-sync.prom"])
    }

    @Test func writingIntoAMissingFolderNamesTheFile() throws {
        // Input: a path whose folder does not exist. Expected: AtomicFileError for that path, saying no such file.
        let folder = try TemporaryDirectory()
        let path = folder.path + "/missing/seat-sync.prom"
        #expect {
            try MetricsTextfile.write(metrics, to: path)
        } throws: { error in
            guard let error = error as? AtomicFileError else { return false }
            return error.file == path && error.description.hasPrefix("\(path): cannot create ")
                && error.reason == "No such file or directory"
        }
    }
}
