import ArgumentParser
import CommetSeats
import Foundation
import SeatSync

/// `seat-sync explain CUSTOMER`: why a customer is billed what it is billed, user by user.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "List, per feature code, the users a customer is billed for and where each came from.",
        discussion: """
            Reads every configured source and merges them as a pass would, then prints, per feature code of \
            the customer, the desired seats with the plan's reason, every user counted with the places the \
            sources name them (file:line; for LDIF the group DN and the nested groups it came through, for \
            JSON the snapshot entry), and the users not counted and why: seated under a code of higher \
            role_precedence, or holding no role a mapping names. A user several sources list takes one seat. \
            Contacts Commet only with --balances, which reads the customer's current balances and prints the \
            delta, and names codes not on the customer's plan. Exits 1 naming the closest customers the \
            sources have when they do not name CUSTOMER.

            Examples:
              seat-sync explain acme
              seat-sync explain acme --feature editor --limit 20
              seat-sync explain acme --balances --output json | jq '.features[].delta'
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The Commet customer id, as the sources name it once mapped.")
    var customer: String

    @Option(name: .long, help: "Explain only this feature code.")
    var feature: String?

    @Option(name: .long, help: "A listing for people, or JSON for scripts (docs/explain-json.md).")
    var output: OutputFormat = .text

    @Option(name: .long, help: "List at most this many users per code and list; the totals are always printed.")
    var limit = 200

    @Flag(name: .long, help: "Also read the customer's current balances from Commet and print the delta.")
    var balances = false

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
    }

    func run() async throws {
        let (logger, sink) = LogBootstrap.start(global)
        let environment = ProcessInfo.processInfo.environment
        var explanation: CustomerExplanation
        do {
            let config = try global.loadConfig(environment: environment)
            explanation = try CustomerExplanation.make(customer, feature: feature, config: config)
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
        if balances {
            let client = try SyncSetup.open(global, logger: logger, sink: sink).client
            do {
                let response = try await client.balances(customerID: explanation.customer)
                explanation.add(balances: response.value.balances.mapValues(\.current))
            } catch {
                throw CommandFailure.report(error, sink: sink)
            }
        }
        let renderer = ExplainRenderer(explanation, limit: limit)
        print(output == .json ? renderer.json() : renderer.text(), terminator: "")
    }
}
