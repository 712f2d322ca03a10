/// Spellings the argument parser cannot take as they are, rewritten before parsing.
///
/// `--allow-decrease` is a flag and `--allow-decrease=ID` an option with a value; swift-argument-parser has no
/// option whose value is optional, so `--allow-decrease=ID` becomes the hidden `--allow-decrease-set ID`.
enum CommandLineSpelling {
    static let approvedSetOption = "allow-decrease-set"
    private static let approvedSetPrefix = "--allow-decrease="

    static func rewrite(_ arguments: [String]) -> [String] {
        var rewritten: [String] = []
        for (index, argument) in arguments.enumerated() {
            // After `--` every word is an argument, not an option.
            if argument == "--" {
                rewritten += arguments[index...]
                break
            }
            if argument.hasPrefix(approvedSetPrefix) {
                rewritten += ["--" + approvedSetOption, String(argument.dropFirst(approvedSetPrefix.count))]
            } else {
                rewritten.append(argument)
            }
        }
        return rewritten
    }
}
