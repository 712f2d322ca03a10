/// A failure the fake acts out instead of (or before) answering one request normally.
///
/// Faults are queued per ``Route`` with ``FakeCommet/inject(_:on:)`` and consumed in order,
/// one per matching request.
package enum Fault: Sendable, Hashable {
    /// Answer with this status and a Commet JSON error body carrying `code`, and a
    /// `Retry-After` header when `retryAfter` is given. Nothing is applied.
    case status(Int, code: String, retryAfter: String? = nil)
    /// Answer with this status and a body that is not JSON, as a proxy in front of Commet
    /// would (`502` with `<html>Bad Gateway</html>`). Nothing is applied.
    case nonJSON(Int, body: String)
    /// Answer with this status and this body as `application/json`, whatever the request asked, as a broken or
    /// hostile server would (`{"success": false}`, another customer's event). Nothing is applied.
    case json(Int, body: String)
    /// Handle the request normally, but send its `x-api-key` back as the `x-request-id`, as a server that echoes
    /// request headers would.
    case echoAPIKeyAsRequestID
    /// Wait this long, then handle the request normally. An `Idempotency-Key` the request
    /// carries counts as in progress while it waits.
    case delay(Duration)
    /// Apply the write and remember it under its idempotency key, then close the
    /// connection without answering: the client cannot know whether it landed.
    case dropAfterApplying
    /// Close the connection without applying or answering.
    case dropBeforeHandling
}
