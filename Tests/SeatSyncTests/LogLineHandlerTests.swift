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

    /// - Parameter journal: whether the sink takes the file for systemd's journal stream.
    init(journal: Bool = false) throws {
        folder = try TemporaryDirectory()
        path = folder.path + "/log.txt"
        fileDescriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fileDescriptor >= 0 else { throw POSIXError(.EIO) }
        sink = LogSink(fileDescriptor: fileDescriptor, journal: journal)
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

    @Test func jsonKeepsNumbersAndFlagsTypedAndStringsQuoted() throws {
        // Input: .number(3), .number(0.25), .flag(false), a plain .stringConvertible(7), the string "5", a number
        // and a flag inside a dictionary and a list, and .number(.infinity).
        // Expected: 3, 0.25, false and 7 unquoted, "5" quoted, the nested ones typed too, infinity as the text "inf".
        let capture = try LogCapture()
        capture.logger(.json).info(
            "typed",
            metadata: [
                "count": .number(3), "ratio": .number(0.25), "dry_run": .flag(false), "plain": .stringConvertible(7),
                "text": "5", "nested": ["n": .number(-2), "ok": .flag(true)], "list": [.number(1), "a"],
                "endless": .number(Double.infinity),
            ]
        )
        let text = capture.text
        #expect(
            text
                == #"{"ts":"2026-11-25T12:00:00.123Z","level":"info","msg":"typed","count":3,"dry_run":false,"#
                + #""endless":"inf","list":[1,"a"],"nested":{"n":-2,"ok":true},"plain":7,"ratio":0.25,"text":"5"}"#
                + "\n"
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["count"] as? Int == 3)
        #expect(object["text"] as? String == "5")
    }

    @Test func logfmtWritesNumbersAndFlagsBare() throws {
        // Input: .number(3), .number(0.25), .flag(true) and a list holding .number(1).
        // Expected: count=3 ratio=0.25 ok=true, unquoted, and the list as "[1, b]".
        let capture = try LogCapture()
        capture.logger(.logfmt).info(
            "typed",
            metadata: ["count": .number(3), "ratio": .number(0.25), "ok": .flag(true), "list": [.number(1), "b"]]
        )
        #expect(
            capture.text
                == "ts=2026-11-25T12:00:00.123Z level=info msg=typed count=3 list=\"[1, b]\" ok=true ratio=0.25\n"
        )
    }

    @Test func aNumberThatSpellsASecretIsRedactedAsText() throws {
        // Input: the secret "31415926" registered, then logged as .number(31415926) in a JSON line.
        // Expected: "[REDACTED]" as a JSON string; the digits appear nowhere.
        let capture = try LogCapture()
        capture.sink.redact("31415926")
        capture.logger(.json).info("typed", metadata: ["n": .number(31_415_926)])
        #expect(capture.text.contains(#""n":"[REDACTED]""#))
        #expect(!capture.text.contains("31415926"))
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

    @Test func journalLinesStartWithTheirSyslogPriority() throws {
        // Input: one event of each level, trace to critical, through a sink writing to the journal stream.
        // Expected: each line prefixed <7> <7> <6> <5> <4> <3> <2> in turn, the rest of the line unchanged.
        let capture = try LogCapture(journal: true)
        let logger = capture.logger(.logfmt, level: .trace)
        for level in Logger.Level.allCases { logger.log(level: level, "event") }
        let expected = zip(Logger.Level.allCases, [7, 7, 6, 5, 4, 3, 2]).map { level, priority in
            "<\(priority)>ts=2026-11-25T12:00:00.123Z level=\(level) msg=event\n"
        }
        #expect(capture.text == expected.joined())
    }

    @Test func journalGivesEveryLineOfAMultiLineTextItsPriority() throws {
        // Input: "error: first\nsecond" written at error level to the journal stream, and to a plain file.
        // Expected: "<3>error: first\n<3>second\n" in the journal, so journald files both lines as errors; the
        // plain file gets the text as it is.
        let journal = try LogCapture(journal: true)
        journal.sink.write(line: "error: first\nsecond", level: .error)
        #expect(journal.text == "<3>error: first\n<3>second\n")
        let plain = try LogCapture()
        plain.sink.write(line: "error: first\nsecond", level: .error)
        #expect(plain.text == "error: first\nsecond\n")
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
