import Testing

@testable import CommetSeats

struct EndpointTests {
    /// https anywhere and http to loopback are accepted; the root loses trailing slashes.
    @Test(arguments: [
        ("https://commet.co/api/v1", "https://commet.co/api/v1"),
        ("https://commet.co/api/v1/", "https://commet.co/api/v1"),
        ("http://127.0.0.1:8080/api/v1", "http://127.0.0.1:8080/api/v1"),
        ("http://127.3.4.5/api/v1", "http://127.3.4.5/api/v1"),
        ("http://localhost:9/api/v1", "http://localhost:9/api/v1"),
        ("HTTP://LOCALHOST/api/v1", "HTTP://LOCALHOST/api/v1"),
        ("http://[::1]:8080/api/v1", "http://[::1]:8080/api/v1"),
        ("http://[0:0:0:0:0:0:0:1]/api/v1", "http://[0:0:0:0:0:0:0:1]/api/v1"),
    ])
    func acceptsTLSAndLoopback(baseURL: String, root: String) throws {
        #expect(try Endpoint(validating: baseURL).root == root)
    }

    /// Every refusal is a configuration error naming the URL and what is wrong with it.
    @Test(arguments: [
        ("http://commet.co/api/v1", "not commet.co"),
        ("http://10.0.0.1/api/v1", "not 10.0.0.1"),
        ("http://128.0.0.1/api/v1", "not 128.0.0.1"),
        ("http://127.0.0.1.example.com/api/v1", "not 127.0.0.1.example.com"),
        ("http://[::2]/api/v1", "not ::2"),
        ("http://localhost.example.com/", "not localhost.example.com"),
        ("ftp://commet.co/api/v1", "scheme must be https"),
        ("commet.co/api/v1", "not an absolute URL"),
        ("https:///api/v1", "has no valid host"),
        ("https://commet.co:99999/api/v1", "port 99999 is invalid"),
        ("https://user:pw@commet.co/api/v1", "must not carry credentials"),
        ("https://commet.co/api/v1?x=1", "must not have a query"),
        ("https://commet.co/api v1", "contains spaces"),
    ])
    func refusesUnsafeOrMalformedURLs(baseURL: String, reason: String) {
        #expect {
            try Endpoint(validating: baseURL)
        } throws: { error in
            let error = error as! CommetError
            return error.kind == .configuration && error.message.contains(reason)
                && error.description.hasPrefix("configure: invalid configuration: base URL \"\(baseURL)\": ")
        }
    }

    /// Query values are percent-encoded so that any customer id reaches Commet intact.
    @Test func encodesQueryValues() throws {
        let endpoint = try Endpoint(validating: "https://commet.co/api/v1/")
        let url = endpoint.url("/seats/balance", query: [("customerId", "a&b c/é"), ("featureCode", "editor")])
        #expect(url == "https://commet.co/api/v1/seats/balance?customerId=a%26b%20c%2F%C3%A9&featureCode=editor")
    }
}
