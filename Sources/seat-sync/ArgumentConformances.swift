// Public imports because a conformance of a public type is public, even in an executable.
public import ArgumentParser
public import Logging
public import SeatSync

extension LogFormat: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}
