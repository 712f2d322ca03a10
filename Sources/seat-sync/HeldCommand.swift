import ArgumentParser
import Foundation
import SeatSync

/// `seat-sync held`: the changes the guard holds, and the id to approve them by.
struct HeldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "held",
        abstract: "List the changes the guard holds, with the id of that set.",
        discussion: """
            Reads state_dir/state.json (left by the last pass that wrote, the daemon's or a --once run's); \
            writes nothing and contacts no one. A held change stays held on every pass until it is approved \
            or the sources stop wanting it. Approve exactly the set listed with `seat-sync approve ID` (a \
            running daemon applies it within schedule.debounce) or `seat-sync --once --allow-decrease=ID`.

            Examples:
              seat-sync held
              seat-sync held --output json | jq -r .set_id
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "A table for people, or JSON for scripts.")
    var output: OutputFormat = .text

    func run() throws {
        let (_, sink) = LogBootstrap.start(global)
        let environment = ProcessInfo.processInfo.environment
        let listing: ApprovalDesk.Listing
        do {
            let config = try global.loadConfig(environment: environment)
            listing = try ApprovalDesk.held(stateDirectory: config.stateDirectory)
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
        let printer = HeldPrinter(listing: listing, now: Date())
        print(output == .json ? printer.json() : printer.text(), terminator: "")
    }
}

/// `seat-sync approve ID`: approve exactly the held set that `seat-sync held` listed.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve exactly the held set ID (from seat-sync held), also while the daemon runs.",
        discussion: """
            Records the approval in state_dir; the daemon picks it up and runs a pass within schedule.debounce \
            (without a daemon, the next seat-sync --once takes it). That pass applies the approved changes if \
            the sources still want exactly them; if any of them changed, the whole approval is void, with one \
            log line saying why, and nothing of it is applied. An ID that is not the set held now is refused: \
            the set changed since it was reviewed.

            Run it as root or as the service's user: files it leaves in state_dir belong to the folder's owner.

            Examples:
              seat-sync approve 3f2a9c1d0b7e4a56
              seat-sync approve 3f2a9c1d0b7e4a56 --customer globex
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The held set's id, as seat-sync held prints it.")
    var id: String

    @Option(name: .long, help: "Approve only this customer's part of the set.")
    var customer: String?

    func run() throws {
        let (_, sink) = LogBootstrap.start(global)
        let environment = ProcessInfo.processInfo.environment
        let approval: Approval
        do {
            let config = try global.loadConfig(environment: environment)
            approval = try ApprovalDesk.approve(setID: id, customer: customer, stateDirectory: config.stateDirectory)
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
        let count = approval.changes.count
        print(
            "approved \(count) held change\(count == 1 ? "" : "s") of set \(approval.setID) (approval \(approval.id)); "
                + "a running daemon applies \(count == 1 ? "it" : "them") within schedule.debounce, "
                + "otherwise the next seat-sync --once does"
        )
    }
}
