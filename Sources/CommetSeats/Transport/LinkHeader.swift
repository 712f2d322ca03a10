/// Reads an RFC 8288 `Link` header.
enum LinkHeader {
    /// The target of the `successor-version` link (or, failing that, of an `alternate` link), if any.
    static func successor(in value: String) -> String? {
        var alternate: String?
        for link in value.split(separator: ",") {
            guard let open = link.firstIndex(of: "<"), let close = link.firstIndex(of: ">"), open < close else {
                continue
            }
            let target = String(link[link.index(after: open)..<close])
            let parameters = link[link.index(after: close)...].lowercased()
            if parameters.contains("successor-version") {
                return target
            }
            if parameters.contains("alternate") {
                alternate = alternate ?? target
            }
        }
        return alternate
    }
}
