/// The exit status of a one-shot run, like `terraform plan -detailed-exitcode` plus one for the guard.
package enum PassExitCode: Int32, Sendable, Hashable {
    /// In sync, or every change applied.
    case success = 0
    /// A source, a balance read, a write or the state file failed.
    case failure = 1
    /// A dry run found changes to write.
    case changesPending = 2
    /// The guard holds changes; `seat-sync held` lists them, `seat-sync approve ID` approves exactly that set.
    case decreasesHeld = 3
}
