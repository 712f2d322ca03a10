import Foundation

/// A file named on the command line, and what was wrong with it, as `seed.json: not valid JSON`.
struct InputFileError: Error, CustomStringConvertible {
    var path: String
    var problem: String

    var description: String { "\(path): \(problem)" }
}

enum InputFile {
    /// The file's bytes.
    /// - Throws: ``InputFileError`` when it is missing or unreadable.
    static func read(_ path: String) throws(InputFileError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputFileError(path: path, problem: "cannot read the file (missing or not readable)")
        }
        return data
    }
}
