/// One HTTP request as the transport sends it.
struct HTTPRequest: Sendable {
    enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
    }

    var method: Method
    var url: String
    /// Header lines in `Name: value` form.
    var headers: [String]
    var body: [UInt8]?
}
