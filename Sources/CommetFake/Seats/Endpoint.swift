/// Where a request path points below the API root, and whether it used the deprecated
/// unversioned root (`/api/seats` rather than `/api/v1/seats`).
struct Endpoint: Hashable {
    /// The date Commet announces for the unversioned paths to stop answering.
    static let sunset = "Wed, 30 Jun 2027 23:59:59 GMT"

    /// The path below the API root, as `/seats/bulk`.
    var subpath: String
    var deprecated: Bool

    init?(path: String) {
        if path.hasPrefix("/api/v1/") {
            subpath = String(path.dropFirst("/api/v1".count))
            deprecated = false
        } else if path.hasPrefix("/api/") {
            subpath = String(path.dropFirst("/api".count))
            deprecated = true
        } else {
            return nil
        }
    }

    /// The headers Commet adds to answers on the deprecated paths.
    var deprecationHeaders: [(name: String, value: String)] {
        guard deprecated else { return [] }
        return [
            ("Deprecation", "true"),
            ("Sunset", Self.sunset),
            ("Link", "</api/v1\(subpath)>; rel=\"successor-version\""),
        ]
    }
}
