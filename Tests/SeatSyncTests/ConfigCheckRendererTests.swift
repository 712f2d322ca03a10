import Foundation
import SeatSync
import TestSupport
import Testing

@Suite struct ConfigCheckRendererTests {
    @Test func controlCharactersFromSourcesAndConfigAreShownEscaped() throws {
        // Input: a CSV source whose `customers` mapping renames acme to "acme\n<ESC>[2Jforged" (a YAML string may hold
        // any control character) and whose role mapping maps Editor to "edi<ESC>tor". Expected: check-config's text
        // shows both with \n and \u{1b}, no raw control character, and its tables stay aligned.
        let folder = try TemporaryDirectory()
        try folder.write("users.csv", "customer,user,role\nacme,ana,Editor\nacme,bo,Editor\n")
        let configPath = try folder.write(
            "seat-sync.yaml",
            """
            state_dir: state
            sources:
              - name: hr
                type: csv
                path: users.csv
                columns: {customer: customer, user: user, role: role}
                roles: {Editor: "edi\\etor"}
                customers: {acme: "acme\\n\\e[2Jforged"}

            """
        )
        let config = try ConfigLoader.load(path: configPath, environment: [:])
        let check = try ConfigCheck.run(config)
        let text = ConfigCheckRenderer(check: check, apiKey: .notChecked, featureOrder: []).text()
        #expect(!text.unicodeScalars.contains("\u{1B}"))
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("\u{1B}[2Jforged") })
        #expect(
            text.hasSuffix(
                """
                desired seats, all sources merged: 1 customer, 2 seats
                  customer               edi\\u{1b}tor
                  acme\\n\\u{1b}[2Jforged             2

                """
            )
        )
    }
}
