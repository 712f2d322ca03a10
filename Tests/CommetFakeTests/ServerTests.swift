import CommetFake
import Foundation
import Testing

@Suite("HTTP server")
struct ServerTests {
    @Test("keep-alive: two requests on one connection count one connection; a new socket counts another")
    func connectionCounting() throws {
        let fake = try makeFake()
        let first = try RawHTTPConnection(port: fake.port)
        _ = try first.answer("GET", "/api/v1/seats/balances?customerId=acme")
        _ = try first.answer("GET", "/api/v1/seats/balance?customerId=acme&featureCode=editor")
        _ = try RawHTTPConnection(port: fake.port).answer("GET", "/api/v1/seats/balances?customerId=acme")
        #expect(fake.connectionsAccepted == 2)
        #expect(fake.ledger.map(\.connection) == [1, 1, 2])
    }

    @Test("Connection: close is honoured: the server closes after the answer")
    func connectionClose() throws {
        let fake = try makeFake()
        let client = try RawHTTPConnection(port: fake.port)
        let response = try client.answer(
            "GET",
            "/api/v1/seats/balances?customerId=acme",
            headers: ["Connection": "close"]
        )
        #expect(response.headers["connection"] == "close")
        #expect(try client.isClosedByServer())
    }

    @Test("a chunked body is refused with 411 length_required and the connection closed")
    func chunkedRefused() throws {
        let fake = try makeFake()
        let client = try RawHTTPConnection(port: fake.port)
        try client.write("PUT /api/v1/seats/bulk HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        let response = try #require(try client.readResponse())
        #expect(response.status == 411)
        #expect(response.errorCode == "length_required")
        #expect(try client.isClosedByServer())
        #expect(fake.ledger.isEmpty)
    }

    @Test("Expect: 100-continue gets 100 Continue before the body is sent, then the answer")
    func expectContinue() throws {
        let fake = try makeFake()
        let client = try RawHTTPConnection(port: fake.port)
        let body = #"{"customerId":"acme","featureCode":"editor","count":1}"#
        try client.write(
            "POST /api/v1/seats HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        )
        #expect(try client.readResponse()?.status == 100)
        try client.write(body)
        #expect(try client.readResponse()?.status == 200)
        #expect(fake.balances(of: "acme")["editor"] == 4)
    }

    @Test("a garbled request line is 400 invalid_request")
    func garbledRequestLine() throws {
        let fake = try makeFake()
        let client = try RawHTTPConnection(port: fake.port)
        try client.write("HELLO\r\n\r\n")
        let response = try #require(try client.readResponse())
        #expect(response.status == 400)
        #expect(response.errorCode == "invalid_request")
    }

    @Test("stop closes the listener and open connections, and may be called twice")
    func stop() throws {
        let fake = try makeFake()
        let open = try RawHTTPConnection(port: fake.port)
        _ = try open.answer("GET", "/api/v1/seats/balances?customerId=acme")
        fake.stop()
        fake.stop()
        #expect(try open.isClosedByServer())
        #expect(throws: RawHTTPConnection.Failure.self) { try RawHTTPConnection(port: fake.port) }
    }

    @Test("binding a port in use throws a SocketError naming the address")
    func portInUse() throws {
        let fake = try makeFake()
        let error = #expect(throws: SocketError.self) { try FakeCommet(port: fake.port) }
        #expect(error?.operation == "bind 127.0.0.1:\(fake.port)")
        #expect(error?.code == EADDRINUSE)
    }
}
