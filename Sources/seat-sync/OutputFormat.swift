import ArgumentParser

/// How a command prints its result on stdout.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case json
}
