/// Where one fact of a source came from, so that `explain` and error lines can point at it.
package struct Provenance: Sendable, Hashable, CustomStringConvertible {
    /// The file the fact was read from, as configured; for a command source, ``SourceCommand/label`` (`./export.sh (stdout)`).
    package var file: String
    /// The 1-based line the fact starts on.
    package var line: Int
    /// Extra context, such as the DN of the group that granted a role.
    package var detail: String?

    package init(file: String, line: Int, detail: String? = nil) {
        self.file = file
        self.line = line
        self.detail = detail
    }

    package var description: String {
        guard let detail else { return "\(file):\(line)" }
        return "\(file):\(line) (\(detail))"
    }
}
