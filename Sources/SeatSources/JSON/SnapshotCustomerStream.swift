/// A seat snapshot's customers, decoded one by one as the parser completes each (``JSONArrayConsumer``), so that the
/// tape holds one customer at a time.
///
/// The customers from the middle of the text on are parsed on another thread (``JSONArrayTail``), and decoded there
/// by a tail stream. It counts lines from the tail's offset and its customers from 0, so it leaves to the head
/// whatever would show them: from the first customer that fails, holds counts (whose provenance names their path),
/// repeats an id of the tail's, or with explanations (every path shown) from its first, it takes no more, and the
/// parser keeps those customers on the tape for the head to decode as it would have. When the tail is spliced, the
/// head takes the tail's customers after its own, refusing an id it has already seen, and moves their lines.
///
/// The first error in document order ends the decoding, a customer's id checked before what it lists, as a reader
/// going through the file would find it; the parser reads on, so that malformed JSON further on is still the error
/// reported, and the decoder checks the document's format and version before it asks for the customers.
///
/// `@unchecked Sendable`: the head stream is used on the parsing thread only; its tail on the tail's thread, then
/// read by the head after ``JSONArrayTail/finish()`` has waited for that thread.
final class SnapshotCustomerStream: JSONArrayConsumer, @unchecked Sendable {
    struct Customer {
        var id: String
        var facts: CustomerFacts
        var skipped: [SkippedUser]
        /// The line of the customer's id, counted from the tail's offset for a tail's customer.
        var idLine: Int
    }

    private let file: String
    private let roles: ValueMapping
    private let keepsExplanations: Bool
    private let isTail: Bool
    private var roleCells: RoleCells
    private var customers: [Customer] = []
    /// By id, the index of the customer with it.
    private var indices: [String: Int] = [:]
    /// The head's first error.
    private var failure: (any Error)?
    /// Whether the tail met a customer it leaves to the head.
    private var isStopped: Bool
    private var tail: SnapshotCustomerStream?
    /// The head's customers that the tail decoded: their feature codes are the tail's numbering.
    private var fromTail: Range<Int> = 0..<0
    private var tailUnmapped: [String: Int] = [:]

    convenience init(file: String, roles: ValueMapping, keepsExplanations: Bool) {
        self.init(file: file, roles: roles, keepsExplanations: keepsExplanations, isTail: false)
    }

    private init(file: String, roles: ValueMapping, keepsExplanations: Bool, isTail: Bool) {
        self.file = file
        self.roles = roles
        self.keepsExplanations = keepsExplanations
        self.isTail = isTail
        roleCells = RoleCells(roles)
        isStopped = isTail && keepsExplanations
    }

    func take(_ element: JSONTape.Value, of tape: JSONTape.View) -> Bool {
        let decoder = SnapshotDecoder(tape: tape, file: file, keepsExplanations: keepsExplanations)
        return isTail ? takeInTail(element, decoder) : takeInHead(element, decoder)
    }

    private func takeInHead(_ element: JSONTape.Value, _ decoder: SnapshotDecoder) -> Bool {
        guard failure == nil else { return true }
        let index = customers.count
        do {
            let path = "customers[\(index)]"
            let (id, idNode, fields) = try decoder.customerID(element, path: path)
            let idLine = decoder.tape.line(idNode)
            if let first = indices[id] {
                throw SnapshotDecoder.repeatedCustomer(id, file: file, line: idLine, index: index, first: first)
            }
            var skipped: [SkippedUser] = []
            let facts = try decoder.customerFacts(
                fields,
                of: element,
                path: path,
                roleCells: &roleCells,
                skipped: &skipped
            )
            indices[id] = index
            customers.append(Customer(id: id, facts: facts, skipped: skipped, idLine: idLine))
        } catch {
            failure = error
        }
        return true
    }

    private func takeInTail(_ element: JSONTape.Value, _ decoder: SnapshotDecoder) -> Bool {
        guard !isStopped else { return false }
        do {
            // The path only words an error, which the head words again.
            let (id, idNode, fields) = try decoder.customerID(element, path: "customers")
            if indices[id] == nil, fields["counts"] == nil {
                var skipped: [SkippedUser] = []
                let facts = try decoder.customerFacts(
                    fields,
                    of: element,
                    path: "customers",
                    roleCells: &roleCells,
                    skipped: &skipped
                )
                indices[id] = customers.count
                customers.append(Customer(id: id, facts: facts, skipped: skipped, idLine: decoder.tape.line(idNode)))
                return true
            }
        } catch {
            // Left to the head, which finds the error again and words it with the customer's path and line.
        }
        isStopped = true
        return false
    }

    func makeTailConsumer() -> any JSONArrayConsumer {
        let tail = SnapshotCustomerStream(file: file, roles: roles, keepsExplanations: keepsExplanations, isTail: true)
        self.tail = tail
        return tail
    }

    func takeTail(lineBase: Int) {
        guard let tail, failure == nil else { return }
        let first = customers.count
        customers.reserveCapacity(first + tail.customers.count)
        for var customer in tail.customers {
            let index = customers.count
            customer.idLine += lineBase
            if let earlier = indices[customer.id] {
                failure = SnapshotDecoder.repeatedCustomer(
                    customer.id,
                    file: file,
                    line: customer.idLine,
                    index: index,
                    first: earlier
                )
                return
            }
            indices[customer.id] = index
            customer.facts.users.moveLines(by: lineBase)
            customer.facts.users.useCodes(tail.roleCells.codes)
            customers.append(customer)
        }
        fromTail = first..<customers.count
        tailUnmapped = tail.roleCells.unmapped
    }

    /// The customers in document order, each with its users' feature codes numbered as ``CustomerFacts`` reads
    /// them, and how often each unmapped role occurred; or the first error.
    func finish() throws -> (customers: [Customer], unmapped: [String: Int]) {
        if let failure { throw failure }
        for index in customers.indices where !fromTail.contains(index) {
            customers[index].facts.users.useCodes(roleCells.codes)
        }
        return (customers, roleCells.unmapped.merging(tailUnmapped, uniquingKeysWith: +))
    }
}
