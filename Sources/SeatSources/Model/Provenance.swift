/// Where one fact of a source came from, so that `explain` and error lines can point at it.
public struct Provenance: Sendable, Hashable, CustomStringConvertible {
    /// The file the fact was read from, as configured; for a command source, ``SourceCommand/label`` (`./export.sh (stdout)`).
    public var file: String
    /// The 1-based line the fact starts on.
    public var line: Int
    /// Extra context, such as the DN of the group that granted a role.
    public var detail: String?

    public init(file: String, line: Int, detail: String? = nil) {
        self.file = file
        self.line = line
        self.detail = detail
    }

    public var description: String {
        guard let detail else { return "\(file):\(line)" }
        return "\(file):\(line) (\(detail))"
    }
}
