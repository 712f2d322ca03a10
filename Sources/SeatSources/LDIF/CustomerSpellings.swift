/// Customers named by case variants of one value (`o=Acme` in one DN, `o=acme` in another) are one customer, as
/// the directory itself compares them; the spelling met first (in file order) is used.
struct CustomerSpellings {
    private var first: [String: String] = [:]
    private var variants: [String: [String]] = [:]

    mutating func spelling(of customer: String) -> String {
        let key = customer.lowercased()
        guard let spelling = first[key] else {
            first[key] = customer
            return customer
        }
        if spelling != customer, !(variants[key] ?? []).contains(customer) {
            variants[key, default: []].append(customer)
        }
        return spelling
    }

    func notes(file: String) -> [SourceNote] {
        variants.sorted { $0.key < $1.key }.map { key, others in
            SourceNote(.customerSpellings, file: file, items: [SourceNote.Item(first[key]!, alternatives: others)])
        }
    }
}
