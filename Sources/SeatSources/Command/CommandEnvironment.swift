/// The environment a command source runs with: nothing of the daemon's own (which may hold the API key) but a
/// fixed `PATH` and locale, the systemd credentials folder, and the source's `env:` entries, which win.
enum CommandEnvironment {
    static let path = "/usr/bin:/bin"

    static func make(adding extra: [String: String], inherited: [String: String]) -> [String: String] {
        var environment = ["PATH": path, "LANG": "C.UTF-8"]
        if let credentials = inherited["CREDENTIALS_DIRECTORY"] {
            environment["CREDENTIALS_DIRECTORY"] = credentials
        }
        environment.merge(extra) { _, configured in configured }
        return environment
    }
}
