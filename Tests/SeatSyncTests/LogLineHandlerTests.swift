import Foundation
import Logging
import SeatSync
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// A log file in a temporary folder, written through a real file descriptor and read back as bytes.
private final class LogCapture {
    let folder: TemporaryDirectory
    let path: String
    let sink: LogSink
    private let fileDescriptor: Int32

    init() throws {
        folder = try TemporaryDirectory()
        path = folder.path + "/log.txt"
        fileDescriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fileDescriptor >= 0 else { throw POSIXError(.EIO) }
        sink = LogSink(fileDescriptor: fileDescriptor)
    }

    deinit { close(fileDescriptor) }

    func logger(_ format: LogFormat, level: Logger.Level = .info) -> Logger {
        let sink = self.sink
        return Logger(label: "test") { _ in
            LogLineHandler(format: format, level: level, sink: sink) {
                // .1235 so that binary rounding cannot make the printed milliseconds .122.
                Date(timeIntervalSince1970: 1_795_608_000.1235)
            }
        }
    }

    var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}

@Suite struct LogLineHandlerTests {
    @Test func logfmtLineHasTimeLevelMessageThenSortedMetadata() throws {
        // Input: an info event with metadata given out of order, one value with a space, one with quotes, one empty.
        // Expected: exactly one line, keys sorted, values quoted and escaped only where needed.
        let capture = try LogCapture()
        capture.logger(.logfmt).info(
            "pass started",
            metadata: ["pass": "p1", "customer": "acme", "note": "two words", "quote": "say \"hi\"", "empty": ""]
        )
        #expect(
            capture.text
                == "ts=2026-11-25T12:00:00.123Z level=info msg=\"pass started\" customer=acme empty=\"\" "
                + "note=\"two words\" pass=p1 quote=\"say \\\"hi\\\"\"\n"
        )
    }

    @Test func logfmtKeepsAMultiLineMessageOnOneLine() throws {
        // Input: a message holding a newline, a tab and a backslash. Expected: one line with \n, \t and \\ escapes.
        let capture = try LogCapture()
        capture.logger(.logfmt).warning("first\nsecond\tpath\\x")
        #expect(capture.text == "ts=2026-11-25T12:00:00.123Z level=warning msg=\"first\\nsecond\\tpath\\\\x\"\n")
    }

    @Test func logfmtFlattensNestedMetadataAndListsLists() throws {
        // Input: a dictionary value and a list value. Expected: dotted keys for the dictionary, a quoted [a, b] list.
        let capture = try LogCapture()
        capture.logger(.logfmt).error(
            "write failed",
            metadata: ["request": ["id": "req_1", "status": "503"], "codes": ["editor", "viewer"]]
        )
        #expect(
            capture.text
                == "ts=2026-11-25T12:00:00.123Z level=error msg=\"write failed\" codes=\"[editor, viewer]\" "
                + "request.id=req_1 request.status=503\n"
        )
    }

    @Test func jsonLineIsOneObjectWithTheSameFields() throws {
        // Input: an event with string, nested and list metadata. Expected: one JSON object per line, fields in order.
        let capture = try LogCapture()
        capture.logger(.json).notice(
            "seats applied",
            metadata: ["customer": "acme", "to": "5", "request": ["id": "req_9"], "codes": ["a", "b"]]
        )
        let text = capture.text
        #expect(
            text
                == #"{"ts":"2026-11-25T12:00:00.123Z","level":"notice","msg":"seats applied","codes":["a","b"],"#
                + #""customer":"acme","request":{"id":"req_9"},"to":"5"}"# + "\n"
        )
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(object?["customer"] as? String == "acme")
    }

    @Test func jsonEscapesControlCharactersAndQuotes() throws {
        // Input: a message with a quote, a newline and a bell character. Expected: valid JSON that decodes back to it.
        let capture = try LogCapture()
        let message = "say \"hi\"\nthen \u{07}"
        capture.logger(.json).info("\(message)")
        let lines = capture.text.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(object?["msg"] as? String == message)
        #expect(lines[0].contains(#"\u0007"#))
    }

    @Test(arguments: LogFormat.allCases)
    func redactsARegisteredSecretFromEveryPartOfTheLine(format: LogFormat) throws {
        // Input: a secret in the message, in a metadata value that gets quoted, in a nested value and in a key.
        // Expected: the secret's bytes appear nowhere in the file; [REDACTED] stands in its place.
        let capture = try LogCapture()
        let secret = "ck_live_Secret\"42"
        capture.sink.redact(secret)
        capture.logger(format).error(
            "key \(secret) refused",
            metadata: ["header": "x-api-key: \(secret)", "nested": ["k": "\(secret)"], "\(secret)": "v"]
        )
        let text = capture.text
        #expect(!text.isEmpty)
        #expect(!text.contains("ck_live_Secret"))
        #expect(text.contains("[REDACTED]"))
    }

    @Test func dropsEventsBelowTheConfiguredLevel() throws {
        // Input: debug and info events to a handler at info. Expected: only the info line.
        let capture = try LogCapture()
        let logger = capture.logger(.logfmt, level: .info)
        logger.debug("hidden")
        logger.info("shown")
        #expect(capture.text == "ts=2026-11-25T12:00:00.123Z level=info msg=shown\n")
    }

    @Test func handlerMetadataAndEventMetadataMergeWithTheEventWinning() throws {
        // Input: logger metadata pass=p1 and customer=old, event metadata customer=new.
        // Expected: pass=p1 customer=new, and a metadata key named like a fixed field does not replace it.
        let capture = try LogCapture()
        var logger = capture.logger(.logfmt)
        logger[metadataKey: "pass"] = "p1"
        logger[metadataKey: "customer"] = "old"
        logger.info("hello", metadata: ["customer": "new", "level": "fake"])
        #expect(
            capture.text == "ts=2026-11-25T12:00:00.123Z level=info msg=hello customer=new meta.level=fake pass=p1\n"
        )
    }

    @Test func linesFromManyThreadsNeverInterleave() async throws {
        // Input: 8 tasks writing 200 lines each through one sink. Expected: 1600 whole lines, each well-formed.
        let capture = try LogCapture()
        let logger = capture.logger(.logfmt)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<200 { logger.info("line", metadata: ["task": "\(task)", "i": "\(index)"]) }
                }
            }
        }
        let lines = capture.text.split(separator: "\n")
        #expect(lines.count == 1600)
        #expect(lines.allSatisfy { $0.hasPrefix("ts=2026-11-25T12:00:00.123Z level=info msg=line i=") })
    }
}
