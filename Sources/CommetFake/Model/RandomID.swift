/// Random identifiers in Commet's `prefix_...` style.
enum RandomID {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    static func make(prefix: String) -> String {
        prefix + String((0..<24).map { _ in alphabet.randomElement()! })
    }
}
