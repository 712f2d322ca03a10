import Testing
import TextRules

struct RedactorTests {
    @Test(arguments: [
        ("12345", false),
        ("123456", true),
        ("ck_live_4f1d8a2c9e7b6035", true),
        // Five characters in ten bytes: the length is counted in characters.
        ("ééééé", false),
    ])
    func redactsOnlySecretsOfAtLeastSixCharacters(secret: String, redacted: Bool) {
        // Input: the secret alone, then the secret inside a sentence. Expected: at 6 characters or more the secret
        // is gone and the marker stands in its place; shorter, the text comes back as it was.
        let redactor = Redactor([secret])
        let text = "bind failed for \(secret) at 12:00"
        #expect(Redactor.isRedactable(secret) == redacted)
        #expect(redactor.secrets == (redacted ? [secret] : []))
        #expect(redactor.redacting(text) == (redacted ? "bind failed for [REDACTED] at 12:00" : text))
    }

    @Test func replacesEveryOccurrenceWithTheOneMarker() {
        // Input: a key that appears three times, once at each end and once in the middle.
        // Expected: three markers, "[REDACTED]", and nothing else changed.
        let redactor = Redactor(["sk_test_secret"])
        let redacted = redactor.redacting("sk_test_secret x-api-key: sk_test_secret;sk_test_secret")
        #expect(redacted == "[REDACTED] x-api-key: [REDACTED];[REDACTED]")
        #expect(Redactor.marker == "[REDACTED]")
    }

    @Test(arguments: [
        // Two secrets that overlap: the first's tail is the second's head.
        (["abcdefgh", "efghijkl"], "<abcdefghijkl>", "<[REDACTED]>"),
        // Added in the other order: the same result.
        (["efghijkl", "abcdefgh"], "<abcdefghijkl>", "<[REDACTED]>"),
        // One secret inside another.
        (["password", "my-password-1"], "x my-password-1 y password", "x [REDACTED] y [REDACTED]"),
        // A secret that overlaps itself.
        (["abcabc"], "abcabcabc!", "[REDACTED]!"),
        // Two secrets side by side.
        (["123456", "abcdef"], "123456abcdef", "[REDACTED]"),
    ])
    func overlappingSecretsLeaveNoPartBehind(secrets: [String], text: String, expected: String) {
        // Input: secrets whose occurrences in the text overlap or touch. Expected: one marker over the whole stretch,
        // so no character of any secret is left over.
        #expect(Redactor(secrets).redacting(text) == expected)
    }

    @Test func findsASecretFollowedByACombiningMark() {
        // Input: the secret "secret" followed by U+0301, which makes "t́" one character with the secret's last
        // letter. Expected: the secret's bytes are cut all the same; the combining mark stays.
        let text = "key secret\u{301} here"
        #expect(Redactor(["secret"]).redacting(text) == "key [REDACTED]\u{301} here")
    }

    @Test func addingASecretTwiceOrTooShortChangesNothing() {
        // Input: "hunter22" added twice, then "pw". Expected: one secret registered.
        var redactor = Redactor()
        redactor.add("hunter22")
        redactor.add("hunter22")
        redactor.add("pw")
        #expect(redactor.secrets == ["hunter22"])
        #expect(redactor.redacting("pw hunter22") == "pw [REDACTED]")
    }

    @Test func textWithoutASecretComesBackUnchanged() {
        // Input: non-ASCII text without the secret. Expected: the same text.
        let text = "Grüße, 世界 \u{1F600}"
        #expect(Redactor(["sk_test_secret"]).redacting(text) == text)
        #expect(Redactor().redacting(text) == text)
    }
}
