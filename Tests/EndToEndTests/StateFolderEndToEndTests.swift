import CommetFake
import Foundation
import TestSupport
import Testing

/// The state folder is shared by the service's user and an operator's root shell; both must leave it usable by
/// the other, and neither may be tricked into writing elsewhere. These run the binary as two real uids, so they
/// need root (CI runs as root); elsewhere they are skipped, and say so.
@Suite(.enabled(if: getuid() == 0, "needs root: the binary is run as root and as another uid"))
struct StateFolderEndToEndTests {
    /// `nobody` on Debian: the service's user in these tests.
    static let service: UInt32 = 65534

    static func owner(_ path: String) throws -> UInt32 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.ownerAccountID] as? NSNumber)?.uint32Value ?? .max
    }

    /// A setup where Commet holds `balances` and users.csv asks for `users`, with its state folder made, empty, for
    /// the test to give an owner and a mode.
    static func setup(balances: [String: [String: Int]], users: [String: [String: Int]]) throws -> ReconcileSetup {
        let setup = try ReconcileSetup(customers: balances)
        do {
            try setup.writeUsers(users)
            try FileManager.default.createDirectory(atPath: setup.stateFolder, withIntermediateDirectories: false)
        } catch {
            setup.fake.stop()
            throw error
        }
        return setup
    }

    @Test func approveAndOnceRunAsRootLeaveAStateTheServiceUserCanReadAndReplace() async throws {
        // Input: a state folder owned by the service's uid, mode 0750. The service's uid runs a pass that holds
        // globex viewer 30 -> 2; root approves it and runs --once, which applies it; then the service's uid
        // runs a pass for a new increase.
        // Expected: every file root leaves in the folder belongs to the service's uid, with the folder's group
        // and mode less x (0640); the service's pass loads the state without a warning and replaces it.
        let setup = try Self.setup(
            balances: ["acme": ["editor": 10], "globex": ["viewer": 30]],
            users: ["acme": ["editor": 12], "globex": ["viewer": 2]]
        )
        defer { setup.fake.stop() }
        let state = setup.stateFolder
        #expect(chown(state, Self.service, Self.service) == 0)
        #expect(chmod(state, 0o750) == 0)

        let first = try await setup.pass(asUser: Self.service)
        #expect(first.status == 3, "\(first.stderr)")
        let id = try await setup.heldSetID()
        #expect(try await setup.command(["approve", id]).status == 0)
        let byRoot = try await setup.pass()
        #expect(byRoot.status == 0, "\(byRoot.stderr)")
        #expect(setup.fake.balances(of: "globex") == ["viewer": 2])

        for name in try FileManager.default.contentsOfDirectory(atPath: state) {
            let path = state + "/" + name
            #expect(try Self.owner(path) == Self.service, "\(name)")
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o640, "\(name)")
        }

        try setup.writeUsers(["acme": ["editor": 13], "globex": ["viewer": 2]])
        let before = try FileManager.default.attributesOfItem(atPath: state + "/state.json")[.modificationDate] as? Date
        let service = try await setup.pass(asUser: Self.service)
        #expect(service.status == 0, "\(service.stderr)")
        #expect(!service.stderr.contains("state file unusable"))
        #expect(!service.stderr.contains("no state file"))
        #expect(setup.fake.balances(of: "acme") == ["editor": 13])
        let after = try FileManager.default.attributesOfItem(atPath: state + "/state.json")[.modificationDate] as? Date
        #expect(before != after)
        #expect(try Self.owner(state + "/state.json") == Self.service)
    }

    @Test func aStateFolderOthersCanWriteOrAnotherUserOwnsIsRefusedNamingTheFix() async throws {
        // Input: (1) a state folder of mode 0777; (2) one owned by uid 65533 while the pass runs as 65534.
        // Expected: each pass exits 1 before any Commet call, with the fix in the error.
        let setup = try Self.setup(balances: ["acme": ["editor": 1]], users: ["acme": ["editor": 2]])
        defer { setup.fake.stop() }
        let state = setup.stateFolder

        #expect(chmod(state, 0o777) == 0)
        let open = try await setup.pass()
        #expect(open.status == 1)
        #expect(
            open.stderr.contains("writable by group or others (mode 777); refusing to use it: run chmod go-w \(state)")
        )

        #expect(chmod(state, 0o755) == 0)
        #expect(chown(state, 65533, 65533) == 0)
        let foreign = try await setup.pass(asUser: Self.service)
        #expect(foreign.status == 1)
        #expect(foreign.stderr.contains("the state folder belongs to uid 65533, not to this user (uid 65534)"))
        #expect(setup.fake.ledger.isEmpty)
    }

    @Test func aLockFilePlantedAsASymlinkIsRefusedAndItsTargetLeftAlone() async throws {
        // Input: state/seat-sync.lock is a symlink to a file outside the folder; root runs a pass.
        // Expected: exit 1 naming the symlink, no Commet call, the target's content unchanged.
        let setup = try Self.setup(balances: ["acme": ["editor": 1]], users: ["acme": ["editor": 2]])
        defer { setup.fake.stop() }
        let target = try setup.folder.write("precious.conf", "keep me\n")
        #expect(symlink(target, setup.stateFolder + "/seat-sync.lock") == 0)

        let run = try await setup.pass()
        #expect(run.status == 1)
        #expect(
            run.stderr.contains(
                "\(setup.stateFolder)/seat-sync.lock: is a symbolic link; seat-sync never follows one in the state folder"
            )
        )
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me\n")
        #expect(setup.fake.ledger.isEmpty)
    }

    @Test func aPassThatCannotSaveItsStateWritesNothing() async throws {
        // Input: a pass as the service's uid leaves state.json; the folder then becomes read-only for it
        // (0550, as a full or broken disk would refuse the save); users.csv asks for acme editor 1 -> 2.
        // Expected: the next pass reads balances, cannot save what it is about to write, sends no setAll and
        // exits 1 with "nothing written".
        let setup = try Self.setup(balances: ["acme": ["editor": 1]], users: ["acme": ["editor": 1]])
        defer { setup.fake.stop() }
        let state = setup.stateFolder
        #expect(chown(state, Self.service, Self.service) == 0)
        #expect(chmod(state, 0o750) == 0)
        #expect(try await setup.pass(asUser: Self.service).status == 0)

        #expect(chmod(state, 0o550) == 0)
        try setup.writeUsers(["acme": ["editor": 2]])
        setup.fake.resetLedger()
        let run = try await setup.pass(asUser: Self.service)
        #expect(run.status == 1)
        let line = run.stderr.split(separator: "\n").first { $0.contains("msg=\"state not saved\"") }
        #expect(line?.contains("nothing written: no write is sent without a record of it") == true)
        #expect(setup.writes.isEmpty)
        #expect(setup.fake.balances(of: "acme") == ["editor": 1])
    }
}
