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
            accepted: [AcceptedWrite(customer: "acme", feature: "editor", observed: 3, written: 5)]
        )
    )

    @Test("no state file: a fresh start")
    func missingFileIsFresh() throws {
        let folder = try TemporaryDirectory()
        let store = StateStore(directory: folder.path)
        #expect(store.load() == .fresh)
        #expect(store.load().state == SyncState())
    }

    @Test("save then load gives the same state, leaves only state.json, mode 0600")
    func roundTrip() throws {
        let folder = try TemporaryDirectory()
        let store = StateStore(directory: folder.path)
        try store.save(Self.sample)
        #expect(store.load() == .loaded(Self.sample))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["state.json"])
        let mode = try FileManager.default.attributesOfItem(atPath: store.file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("a second save replaces the first")
    func replaces() throws {
        let folder = try TemporaryDirectory()
        let store = StateStore(directory: folder.path)
        try store.save(Self.sample)
        let next = SyncState(sequences: ["hook": 1843])
        try store.save(next)
        #expect(store.load() == .loaded(next))
    }

    @Test("a missing state folder is created")
    func createsFolder() throws {
        let folder = try TemporaryDirectory()
        let store = StateStore(directory: folder.path + "/nested/state")
        try store.save(Self.sample)
        #expect(store.load() == .loaded(Self.sample))
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
        let loaded = StateStore(directory: folder.path).load()
        guard case .corrupt(let reason) = loaded else {
            Issue.record("expected corrupt, got \(loaded)")
            return
        }
        #expect(reason.hasPrefix("\(path): \(reasonPrefix)"), "\(reason)")
        #expect(loaded.state == SyncState())
    }

    @Test("a state folder that is a file: save fails naming the folder and the step")
    func saveFailureNamesStep() throws {
        let folder = try TemporaryDirectory()
        let blocker = try folder.write("blocker", "not a folder")
        let store = StateStore(directory: blocker)
        #expect {
            try store.save(Self.sample)
        } throws: { error in
            let error = error as? StateError
            return error?.file == blocker && error?.step == "create folder"
        }
    }
}
