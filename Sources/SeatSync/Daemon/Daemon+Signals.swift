import Foundation
import Logging
import SeatSources

extension Daemon {
    /// Acts on `signal` as on one caught, once what is queued before it is done: how a daemon run inside tests is
    /// stopped or reloaded without sending a signal to the test process.
    /// - Parameter signal: `SIGTERM` or `SIGINT` to stop (a second one cancels the pass in flight), `SIGHUP` to
    ///   reload the config.
    package func receive(_ signal: Int32) {
        queue.async { self.received(signal) }
    }

    /// Acts on a signal read from the signal pipe: SIGHUP reloads the config, SIGTERM and SIGINT stop.
    func received(_ signal: Int32) {
        dispatchPrecondition(condition: .onQueue(queue))
        if signal == SIGHUP {
            reloadConfig()
        } else {
            stop(signalName: signal == SIGINT ? "SIGINT" : "SIGTERM")
        }
    }

    /// Stops planning passes and exits once the pass in flight ends, cancelling it after `schedule.stop_grace`.
    private func stop(signalName: String) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !stopping else {
            // A second signal: whoever sent it does not want to wait for the grace to run out.
            guard let running, !running.cancelled else { return }
            logger.warning(
                "second stop signal; cancelling the pass in flight",
                metadata: [
                    "signal": "\(signalName)",
                    "next": "customers not written yet are written by the first pass after the restart",
                ]
            )
            cancelPass()
            return
        }
        stopping = true
        notifier.stopping()
        let passRunning = schedule.stop()
        armPassTimer()
        guard passRunning, let running else {
            logger.info("stopping", metadata: ["signal": "\(signalName)"])
            finish(exitCode: 0)
            return
        }
        let grace = setup.config.schedule.stopGrace
        logger.info(
            "stopping; waiting for the pass in flight",
            metadata: ["signal": "\(signalName)", "stop_grace": "\(DurationText.format(grace))"]
        )
        let now = clock.now
        deadlineTimer.arm(at: running.cancelled ? now + Self.cancelledPassLimit : min(running.timeoutAt, now + grace))
    }

    /// Loads and checks the config, the API key and a client; the next pass uses them, or, when anything is
    /// wrong, the previous ones stay.
    private func reloadConfig() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !stopping else { return }
        notifier.reloading()
        let previous = setup.config
        logger.info("reloading config", metadata: ["config": "\(previous.file)"])
        do {
            let loaded = try loadSetup()
            guard loaded.config.stateDirectory == previous.stateDirectory else {
                throw ReloadError.stateDirectoryChanged(from: previous.stateDirectory, to: loaded.config.stateDirectory)
            }
            setup = loaded
            reloadRefusal = nil
            schedule.update(loaded.config.schedule)
            watchSources()
            var metadata = describe(loaded.config)
            metadata["next"] = running == nil ? "the next pass uses it" : "the pass after the one running uses it"
            logger.info("config reloaded", metadata: metadata)
            armPassTimer()
            logNextPass(plannedAt: clock.now)
        } catch {
            reloadRefusal = "\(error)"
            logger.error(
                "config reload failed; keeping the previous config",
                metadata: [
                    "error": "\(error)",
                    "next": "passes go on with the previous config; fix the file and reload again",
                ]
            )
        }
        notifier.ready(status: statusText)
    }
}
