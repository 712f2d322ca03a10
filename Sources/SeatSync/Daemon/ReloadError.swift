/// Why a reloaded config was refused although it is valid on its own.
enum ReloadError: Error, CustomStringConvertible {
    case stateDirectoryChanged(from: String, to: String)

    var description: String {
        switch self {
        case .stateDirectoryChanged(let old, let new):
            return "state_dir changed from \(old) to \(new): the instance lock and the state live there, "
                + "so it only changes with a restart"
        }
    }
}
