import CommetFake
import Foundation
import TestSupport
import Testing

@Suite struct DaemonSystemdEndToEndTests {
    @Test func tellsSystemdEachStepThroughNotifySocket() async throws {
        // Input: NOTIFY_SOCKET naming a unix datagram socket the test bound, WATCHDOG_USEC=200000 (200 ms); a pass
        // writing acme's editor 1 -> 2; SIGHUP; SIGTERM.
        // Expected, in order: READY=1 with a starting STATUS; STATUS= with the pass's totals; WATCHDOG=1 pings;
        // RELOADING=1 with MONOTONIC_USEC then READY=1 after SIGHUP; STOPPING=1 after SIGTERM; exit 0.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 1]], schedule: "  interval: 1h")
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 2]])
        let listener = try NotifyListener()
        let daemon = try setup.startDaemon(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "200000"])

        try await daemon.waitForLines("pass finished")
        try await poll("three watchdog pings", output: listener.messages.joined(separator: "\n---\n")) {
            listener.messages.count { $0 == "WATCHDOG=1" } >= 3
        }
        daemon.send(SIGHUP)
        try await poll("READY=1 after the reload") { listener.messages.count { $0.hasPrefix("READY=1") } == 2 }
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        try await poll("STOPPING=1") { listener.messages.contains("STOPPING=1") }

        let messages = listener.messages.filter { $0 != "WATCHDOG=1" }
        #expect(messages.count == 5, "\(messages)")
        guard messages.count == 5 else { return }
        #expect(messages[0] == "READY=1\nSTATUS=started; first pass running")
        #expect(messages[1].hasPrefix("STATUS=last pass 20"))
        #expect(
            messages[1].hasSuffix(
                ": ok; 1 customer: 0 in sync, 1 changed, 0 failed, 0 held, 0 pending; seats +1 -0"
            )
        )
        #expect(messages[2].hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(messages[3] == "READY=1\n" + messages[1])
        #expect(messages[4] == "STOPPING=1")
        #expect(daemon.lines("daemon started").first?["watchdog"] == "200ms")
    }

    @Test func aRefusedReloadShowsInTheStatusUntilAGoodConfigIsTaken() async throws {
        // Input: a running daemon with a notify socket; the config is broken (interval "5 minutes"), SIGHUP;
        // then fixed, SIGHUP again.
        // Expected: the READY=1 after the refused reload carries a STATUS= that starts "reload refused, previous
        // config kept:" and names the file and key; the READY=1 after the good one no longer says so.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 1]], schedule: "  interval: 1h")
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 1]])
        let listener = try NotifyListener()
        let daemon = try setup.startDaemon(environment: ["NOTIFY_SOCKET": listener.path])
        try await daemon.waitForLines("pass finished")

        let good = try String(contentsOfFile: setup.config, encoding: .utf8)
        try good.replacingOccurrences(of: "interval: 1h", with: "interval: 5 minutes")
            .write(toFile: setup.config, atomically: true, encoding: .utf8)
        daemon.send(SIGHUP)
        try await poll("READY=1 after the refused reload") { listener.messages.count { $0.hasPrefix("READY=1") } == 2 }
        let refused = try #require(listener.messages.last { $0.hasPrefix("READY=1") })
        #expect(refused.hasPrefix("READY=1\nSTATUS=reload refused, previous config kept: \(setup.config):"))
        #expect(refused.contains("schedule.interval"))

        try good.write(toFile: setup.config, atomically: true, encoding: .utf8)
        daemon.send(SIGHUP)
        try await poll("READY=1 after the good reload") { listener.messages.count { $0.hasPrefix("READY=1") } == 3 }
        let taken = try #require(listener.messages.last { $0.hasPrefix("READY=1") })
        #expect(taken.hasPrefix("READY=1\nSTATUS=last pass "))
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test(arguments: ["logfmt", "json"])
    func theAPIKeyIsInNoLineOfAFullRun(logFormat: String) async throws {
        // Input: the key in COMMET_API_KEY; acme needs a write whose first attempt gets a 503 (retried), lapsed
        // has no subscription (its read fails), globex's write is refused (feature_not_found); three passes, a
        // SIGHUP (the key is loaded again) and a SIGTERM, with a notify socket.
        // Expected: the retry and both failures are logged, so the run went through those paths; neither the key
        // nor "[REDACTED]" is in any output line or notification (no server here echoes the key, so the marker
        // could only be the sink cutting out a key something tried to log).
        let setup = try ReconcileSetup(
            customers: ["acme": ["editor": 1], "globex": ["editor": 1]],
            schedule: "  interval: 300ms\n  jitter: 0s"
        )
        defer { setup.fake.stop() }
        setup.fake.addCustomer("lapsed", plan: ["editor": 1], subscribed: false)
        try setup.writeUsers(["acme": ["editor": 2], "globex": ["editor": 3], "lapsed": ["editor": 2]])
        setup.fake.inject([.status(503, code: "internal_error")], on: .setAll)
        setup.fake.inject(
            [.status(404, code: "feature_not_found"), .status(404, code: "feature_not_found")],
            on: .setAll
        )
        let listener = try NotifyListener()
        let daemon = try setup.startDaemon(
            logFormat: logFormat,
            environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "100000"]
        )

        try await daemon.waitForOutput("pass finished", count: 2)
        daemon.send(SIGHUP)
        try await daemon.waitForOutput("config reloaded")
        let passes = daemon.output.ranges(of: "pass finished").count
        try await daemon.waitForOutput("pass finished", count: passes + 1)
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        try await poll("STOPPING=1") { listener.messages.contains("STOPPING=1") }

        let output = daemon.output
        for evidence in [
            "Commet request failed, retry in", "balance read failed", "seat write failed", "feature_not_found",
        ] {
            #expect(output.contains(evidence), "no \(evidence) in the output")
        }
        let notifications = listener.messages
        #expect(notifications.contains { $0.hasPrefix("STATUS=last pass") })
        for text in [output] + notifications {
            #expect(!text.contains(ReconcileSetup.key))
            #expect(!text.contains("[REDACTED]"))
        }
    }
}
