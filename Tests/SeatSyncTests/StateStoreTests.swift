import Foundation
import TestSupport
import Testing

@testable import SeatSync

struct StateStoreTests {
    static let sample = SyncState(
        sequences: ["hook": 1842],
        lastPass: .init(
            id: "pass-1",
            finishedAt: Date(timeIntervalSince1970: 1_795_000_000),
            accepted: [
                AcceptedWrite(
                    customer: "acme",
                    feature: "editor",
                    observed: 5,
                    written: 3,
                    acceptedAt: Date(timeIntervalSince1970: 1_795_000_000)
                )
            ]
        ),
        holds: [
            HeldChange(
                customer: "globex",
                feature: "viewer",
                from: 3,
                to: 2,
                heldSince: Date(timeIntervalSince1970: 1_794_000_000)
            )
        ],
        handledApprovals: ["a1"]
    )

    static func store(_ path: String) throws -> StateStore {
        StateStore(folder: try StateFolder.prepare(path))
    }

    @Test("no state file: a fresh start")
    func missingFileIsFresh() throws {
        let folder = try TemporaryDirectory()
        let store = try Self.store(folder.path)
        #expect(try store.load() == .fresh)
    }

    @Test("save then load gives the same state, leaves only state.json, with the folder's read and write bits")
    func roundTrip() throws {
        let folder = try TemporaryDirectory()
        chmod(folder.path, 0o750)
        let store = try Self.store(folder.path)
        try store.save(Self.sample)
        #expect(try store.load() == .loaded(Self.sample))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["state.json"])
        let mode = try FileManager.default.attributesOfItem(atPath: store.file)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test("a version 1 file (no holds, accepted writes without times) is read; its writes take the pass's end")
    func readsVersion1() throws {
        let folder = try TemporaryDirectory()
        try folder.write(
            "state.json",
            """
            {"version": 1, "sequences": {"hook": 7}, "last_pass": {"id": "p", "finished_at": "2026-11-25T12:00:00Z",
             "accepted": [{"customer": "acme", "feature": "editor", "observed": 5, "written": 3}]}}
            """
        )
        let loaded = try Self.store(folder.path).load()
        let state = loaded.state
        #expect(state.version == SyncState.currentVersion)
        #expect(state.sequences == ["hook": 7])
        #expect(state.holds.isEmpty)
        let end = try Date("2026-11-25T12:00:00Z", strategy: .iso8601)
        #expect(state.lastPass?.accepted.first?.acceptedAt == end)
        #expect(state.lastPass?.accepted.first?.sentAt == end)
    }

    @Test("a second save replaces the first")
    func replaces() throws {
        let folder = try TemporaryDirectory()
        let store = try Self.store(folder.path)
        try store.save(Self.sample)
        let next = SyncState(sequences: ["hook": 1843])
        try store.save(next)
        #expect(try store.load() == .loaded(next))
    }

    @Test("a missing state folder is created, mode 0750")
    func createsFolder() throws {
        let folder = try TemporaryDirectory()
        let store = try Self.store(folder.path + "/nested/state")
        try store.save(Self.sample)
        #expect(try store.load() == .loaded(Self.sample))
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path + "/nested/state")[.posixPermissions]
        #expect(mode as? Int == 0o750)
    }

    @Test(
        "a corrupt state file is reported and the pass starts fresh",
        arguments: [
            ("{\"version\": 1, \"sequences\": {\"hook\": \"x\"}}", "not a seat-sync state file: .sequences.hook: "),
            ("{\"version\": 1, \"sequ", "not a seat-sync state file: "),
            ("{\"version\": 7, \"sequences\": {}}", "unknown state version 7"),
            ("", "not a seat-sync state file: "),
        ]
    )
    func corruptFile(content: String, reasonPrefix: String) throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("state.json", content)
        let loaded = try Self.store(folder.path).load()
        guard case .corrupt(let reason) = loaded else {
            Issue.record("expected corrupt, got \(loaded)")
            return
        }
        #expect(reason.hasPrefix("\(path): \(reasonPrefix)"), "\(reason)")
        #expect(loaded.state == SyncState())
    }
}

/// The state folder's rules: what a hostile or careless host can plant there is refused, naming the fix.
struct StateFolderTests {
    @Test("a state folder that is a file: refused naming the folder")
    func folderIsAFile() throws {
        let folder = try TemporaryDirectory()
        let blocker = try folder.write("blocker", "not a folder")
        #expect {
            try StateFolder.prepare(blocker)
        } throws: { error in
            "\(error)".hasPrefix("\(blocker): cannot open the state folder: ")
        }
    }

    @Test("a folder group or others can write (0775, 0757): refused, naming chmod go-w")
    func writableByOthers() throws {
        for mode in [0o775, 0o757] as [mode_t] {
            let folder = try TemporaryDirectory()
            chmod(folder.path, mode)
            #expect {
                try StateFolder.prepare(folder.path)
            } throws: { error in
                "\(error)".contains("writable by group or others (mode \(String(mode, radix: 8)))")
                    && "\(error)".contains("chmod go-w \(folder.path)")
            }
        }
    }

    @Test("state.json planted as a symlink to another file: loading refuses it and the target is untouched")
    func symlinkedStateFile() throws {
        let folder = try TemporaryDirectory()
        let target = try folder.write("target", "precious")
        let state = folder.path + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: false)
        symlink(target, state + "/state.json")
        let store = StateStore(folder: try StateFolder.prepare(state))
        #expect {
            try store.load()
        } throws: { error in
            "\(error)"
                == "\(state)/state.json: is a symbolic link; seat-sync never follows one in the state folder: remove it"
        }
        try store.save(StateStoreTests.sample)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious")
    }

    @Test("a FIFO planted as state.json is refused at once, not waited on")
    func fifoStateFile() throws {
        let folder = try TemporaryDirectory()
        mkfifo(folder.path + "/state.json", 0o600)
        #expect {
            try StateStoreTests.store(folder.path).load()
        } throws: { error in
            "\(error)" == "\(folder.path)/state.json: not a regular file; remove it"
        }
    }
}
