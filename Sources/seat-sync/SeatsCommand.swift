import ArgumentParser
import CommetSeats
import Foundation
import Logging
import SeatSync

/// `seat-sync seats ...`: the six Commet seat operations by hand, with the daemon's config, key and retries.
struct SeatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seats",
        abstract: "Call the Commet seats API by hand, with the same config, API key and retry policy as the daemon.",
        discussion: """
            Examples:
              seat-sync seats balances --customer acme
              seat-sync seats balance --customer acme --feature editor
              seat-sync seats add --customer acme --feature editor --count 2
              seat-sync seats remove --customer acme --feature viewer --count 1 --idempotency-key fix-4711
              seat-sync seats set --customer acme --feature admin --count 1
              seat-sync seats set-all --customer acme editor=3 viewer=10
            """,
        subcommands: [
            AddSeats.self, RemoveSeats.self, SetSeats.self, SetAllSeats.self, SeatBalanceCommand.self,
            SeatBalancesCommand.self,
        ]
    )
}

/// Options every seats subcommand shares.
struct SeatsOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The Commet customer id (cus_...) or the customer's external id.")
    var customer: String

    @Option(name: .long, help: "How to print the result.")
    var output: OutputFormat = .text

    /// Loads the config and the API key, and makes the client the daemon would make.
    /// - Returns: the client and the sink, which already redacts the key.
    func client() throws -> (CommetSeatsClient, LogSink) {
        let (logger, sink) = LogBootstrap.start(global)
        return (try SyncSetup.open(global, logger: logger, sink: sink).client, sink)
    }
}

/// The options of the single-feature writes: add, remove and set.
struct SeatWriteOptions: ParsableArguments {
    @OptionGroup var seats: SeatsOptions

    @Option(name: .long, help: "The seat feature code, such as editor.")
    var feature: String

    @Option(name: .long, help: "The number of seats.")
    var count: Int

    @Option(
        name: .long,
        help: "Reuse a key to make a repeated command safe; by default every invocation gets a new one."
    )
    var idempotencyKey: String?

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be 0 or more, found \(count)") }
    }

    /// Runs one write and prints the event it returns.
    func run(
        _ write: (CommetSeatsClient, String, String, Int, String?) async throws -> CommetResponse<SeatEvent>
    ) async throws {
        let (client, sink) = try seats.client()
        do {
            let response = try await write(client, seats.customer, feature, count, idempotencyKey)
            SeatsPrinter(format: seats.output, sink: sink).events([response.value], requestID: response.requestID)
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
    }
}

struct AddSeats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add seats of one feature.")

    @OptionGroup var write: SeatWriteOptions

    func run() async throws {
        try await write.run { client, customer, feature, count, key in
            try await client.add(customerID: customer, featureCode: feature, count: count, idempotencyKey: key)
        }
    }
}

struct RemoveSeats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove seats of one feature.")

    @OptionGroup var write: SeatWriteOptions

    func run() async throws {
        try await write.run { client, customer, feature, count, key in
            try await client.remove(customerID: customer, featureCode: feature, count: count, idempotencyKey: key)
        }
    }
}

struct SetSeats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set the seats of one feature to an exact count."
    )

    @OptionGroup var write: SeatWriteOptions

    func run() async throws {
        try await write.run { client, customer, feature, count, key in
            try await client.set(customerID: customer, featureCode: feature, count: count, idempotencyKey: key)
        }
    }
}

/// One `code=count` argument of `set-all`.
struct FeatureCountArgument: ExpressibleByArgument {
    var feature: String
    var count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let count = Int(parts[1]), count >= 0 else { return nil }
        feature = String(parts[0])
        self.count = count
    }
}

struct SetAllSeats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-all",
        abstract: "Set several features to exact counts in one request (Commet's setAll).",
        discussion: "Example: seat-sync seats set-all --customer acme editor=3 viewer=10 admin=0"
    )

    @OptionGroup var seats: SeatsOptions

    @Option(
        name: .long,
        help: "Reuse a key to make a repeated command safe; by default every invocation gets a new one."
    )
    var idempotencyKey: String?

    @Argument(help: ArgumentHelp("Feature codes and counts.", valueName: "code=count"))
    var counts: [FeatureCountArgument]

    func validate() throws {
        guard !counts.isEmpty else { throw ValidationError("name at least one code=count") }
        var seen: Set<String> = []
        for count in counts where !seen.insert(count.feature).inserted {
            throw ValidationError("\(count.feature) is given twice")
        }
    }

    func run() async throws {
        let (client, sink) = try seats.client()
        do {
            let response = try await client.setAll(
                customerID: seats.customer,
                seats: Dictionary(uniqueKeysWithValues: counts.map { ($0.feature, $0.count) }),
                idempotencyKey: idempotencyKey
            )
            SeatsPrinter(format: seats.output, sink: sink).events(response.value, requestID: response.requestID)
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
    }
}

struct SeatBalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "Show the seat balance of one feature."
    )

    @OptionGroup var seats: SeatsOptions

    @Option(name: .long, help: "The seat feature code, such as editor.")
    var feature: String

    func run() async throws {
        let (client, sink) = try seats.client()
        do {
            let response = try await client.balance(customerID: seats.customer, featureCode: feature)
            SeatsPrinter(format: seats.output, sink: sink).balances(
                customer: seats.customer,
                [feature: response.value],
                requestID: response.requestID
            )
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
    }
}

struct SeatBalancesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balances",
        abstract: "Show the seat balances of every feature on the customer's plan."
    )

    @OptionGroup var seats: SeatsOptions

    func run() async throws {
        let (client, sink) = try seats.client()
        do {
            let response = try await client.balances(customerID: seats.customer)
            SeatsPrinter(format: seats.output, sink: sink).balances(
                customer: seats.customer,
                response.value.balances,
                requestID: response.requestID
            )
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
    }
}
