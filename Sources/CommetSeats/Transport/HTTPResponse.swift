/// A complete HTTP response.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    /// New connections opened for this request: 0 when a kept-alive connection was reused.
    var connectionsOpened: Int
}
