import Foundation
import SeatSync
import TestSupport
import Testing

@Suite struct MetricsConfigTests {
    /// A temp folder holding seat-sync.yaml: `yaml` and one CSV source.
    private func configFile(_ yaml: String) throws -> (folder: TemporaryDirectory, path: String) {
        let folder = try TemporaryDirectory()
        let path = try folder.write("seat-sync.yaml", yaml + "sources:\n  - {name: hr, type: csv, path: users.csv}\n")
        return (folder, path)
    }

    @Test(arguments: [
        // (YAML, expected metrics.textfile: FOLDER is the config's folder; nil for none)
        ("", nil),
        ("metrics:\n", nil),
        ("metrics:\n  textfile: ~\n", nil),
        ("metrics:\n  textfile: seat-sync.prom\n", "FOLDER/seat-sync.prom"),
        ("metrics:\n  textfile: /var/lib/node_exporter/seat-sync.prom\n", "/var/lib/node_exporter/seat-sync.prom"),
    ])
    func textfileIsOptionalAndRelativePathsFollowTheConfig(yaml: String, expected: String?) throws {
        let (folder, path) = try configFile(yaml)
        let config = try ConfigLoader.load(path: path, environment: [:])
        #expect(config.metrics.textfile == expected?.replacingOccurrences(of: "FOLDER", with: folder.path))
    }

    @Test(arguments: [
        // (YAML, expected "line: key: problem" after the file name)
        ("metrics:\n  text_file: a.prom\n", "2: metrics.text_file: unknown key; did you mean \"textfile\"?"),
        ("metrics:\n  textfile: ''\n", "2: metrics.textfile: expected a file path, found an empty value"),
        ("metrics: a.prom\n", "1: metrics: expected a mapping of keys, found \"a.prom\""),
    ])
    func invalidMetricsNameFileLineAndKey(yaml: String, expected: String) throws {
        let (folder, path) = try configFile(yaml)
        defer { withExtendedLifetime(folder) {} }
        do {
            _ = try ConfigLoader.load(path: path, environment: [:])
            Issue.record("loaded")
        } catch {
            #expect(error.description == "\(path):\(expected)")
        }
    }
}
