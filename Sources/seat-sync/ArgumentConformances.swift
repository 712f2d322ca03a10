// Public imports because a conformance of a public type (swift-log's `Logger.Level`) is public, even in an
// executable.
public import ArgumentParser
public import Logging
package import SeatSync

extension LogFormat: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}
