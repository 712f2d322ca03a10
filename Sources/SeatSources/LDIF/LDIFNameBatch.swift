/// The DNs the LDIF reader met, and how each record ended, held back to be normalised, numbered and filed into an
/// ``LDIFDirectory`` on a second thread (``BatchWorker``).
///
/// Normalising and numbering member DNs (a lookup in a table of every distinct DN of the file, a cache miss or two
/// each) was most of reading the benchmark's exports after splitting lines. The reader's thread keeps what decides
/// how a record ends, its own DN included; the worker takes the member values in file order, so every DN gets the
/// number it would have got on one thread, and the directory ends the same. A member value that is no DN fails on
/// the worker, with its line, and the read reports it if nothing earlier in the file failed.
struct LDIFNameBatch: WorkBatch {
    /// A batch is handed over once it holds this many steps (128 KiB of them) or this many bytes of DNs: a few
    /// hundred kilobytes, whatever the DNs' length.
    static let capacity = 8192
    static let byteCapacity = 1 << 19

    private enum Kind: UInt8 {
        /// A `member` or `uniqueMember` value of the record being read, as written; `value` is where it ends in
        /// `bytes`.
        case member
        /// The record's own DN, normalised; `value` is where it ends in `bytes`.
        case entryDN
        /// The record is kept: `value` is the index of its entry in `entries`.
        case keep
        /// The record is a 389-ds replication conflict, skipped: `value` is its index in `conflicts`.
        case conflict
        /// The record is not kept.
        case drop
    }

    private struct Step {
        var kind: Kind
        /// A member value's attribute description, as its index in `attributes`.
        var attribute: UInt16 = 0
        var value: UInt32
        /// A member value's line.
        var line = 0
    }

    private var steps: [Step] = []
    /// The DNs of the `member` and `entryDN` steps, back to back.
    private var bytes: [UInt8] = []
    /// The attribute descriptions of member values (`member`, `uniqueMember`), for errors; a new one is added only
    /// when it differs from the last.
    private var attributes: [String] = []
    /// The last of `attributes` as bytes, which a member value's description is compared with: compared with the
    /// `String`'s UTF-8 view, that was 3% of reading the benchmark's LDIF.
    private var lastAttribute: [UInt8] = []
    private var entries: [LDIFEntry] = []
    private var conflicts: [SourceNote.Item] = []

    var isFull: Bool { steps.count >= Self.capacity || bytes.count >= Self.byteCapacity }
    var isEmpty: Bool { steps.isEmpty }

    /// Adds a member value, as written, of the record being read.
    /// - Parameter attribute: the attribute description as written (`member`, `uniqueMember;binary`).
    mutating func addMember(_ value: UnsafeBufferPointer<UInt8>, line: Int, attribute: UnsafeBufferPointer<UInt8>) {
        if attributes.isEmpty || !ByteComparison.equal(lastAttribute, attribute) {
            attributes.append(String(decoding: attribute, as: UTF8.self))
            lastAttribute.removeAll(keepingCapacity: true)
            lastAttribute.append(contentsOf: attribute)
        }
        add(.member, value)
        steps[steps.count - 1].attribute = UInt16(attributes.count - 1)
        steps[steps.count - 1].line = line
    }

    /// Adds the normalised DN of the record being read.
    mutating func addEntryDN(_ dn: UnsafeBufferPointer<UInt8>) {
        add(.entryDN, dn)
    }

    /// Ends the record being read by keeping `entry`, which has the record's DN and member values.
    mutating func keep(_ entry: LDIFEntry) {
        steps.append(Step(kind: .keep, value: UInt32(entries.count)))
        entries.append(entry)
    }

    /// Ends the record being read, a replication conflict, by noting it and nothing else.
    mutating func skipConflict(_ item: SourceNote.Item) {
        steps.append(Step(kind: .conflict, value: UInt32(conflicts.count)))
        conflicts.append(item)
    }

    /// Ends the record being read without keeping it.
    mutating func drop() {
        steps.append(Step(kind: .drop, value: 0))
    }

    private mutating func add(_ kind: Kind, _ dn: UnsafeBufferPointer<UInt8>) {
        // Handed over at `byteCapacity`, a batch holds that plus one DN of at most `InputLimits.maxValueBytes`.
        bytes.append(contentsOf: dn)
        steps.append(Step(kind: kind, value: UInt32(bytes.count)))
    }

    /// Numbers and files every step into `filing`, in order, and empties the batch. Once `filing` holds an error,
    /// nothing more is filed.
    mutating func apply(to filing: inout LDIFFiling) {
        defer {
            steps.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            attributes.removeAll(keepingCapacity: true)
            entries.removeAll(keepingCapacity: true)
            conflicts.removeAll(keepingCapacity: true)
        }
        var start = 0
        bytes.withUnsafeBufferPointer { bytes in
            for step in steps where filing.error == nil {
                switch step.kind {
                case .member, .entryDN:
                    let dn = UnsafeBufferPointer(rebasing: bytes[start..<Int(step.value)])
                    start = Int(step.value)
                    if step.kind == .member {
                        filing.addMember(dn, line: step.line, attribute: attributes[Int(step.attribute)])
                    } else {
                        filing.startEntry(dn)
                    }
                case .keep:
                    filing.keep(entries[Int(step.value)])
                case .conflict:
                    filing.skipConflict(conflicts[Int(step.value)])
                case .drop:
                    filing.drop()
                }
            }
        }
    }
}

/// What the second thread of an LDIF read builds from ``LDIFNameBatch``es: the directory, and the first error found
/// there: a member value that is no DN, or a DN that two records have.
struct LDIFFiling {
    /// The file named in errors.
    let file: String
    private(set) var directory = LDIFDirectory()
    private var normalizer = DNNormalizer()
    /// The first error in file order; nothing is filed after it.
    private(set) var error: LDIFError?
    /// The number of the DN of the record being filed.
    private var entryID: Int32 = 0

    init(file: String) {
        self.file = file
    }

    /// Normalises and numbers a member value.
    mutating func addMember(_ value: UnsafeBufferPointer<UInt8>, line: Int, attribute: String) {
        do {
            try normalizer.normalize(value)
        } catch {
            self.error = LDIFError(file: file, line: line, attribute: attribute, dn: value, error)
            return
        }
        directory.appendMember(normalizer.output.withUnsafeBufferPointer { directory.names.id(of: $0) })
    }

    mutating func startEntry(_ dn: UnsafeBufferPointer<UInt8>) {
        entryID = directory.names.id(of: dn)
    }

    mutating func keep(_ entry: LDIFEntry) {
        if let earlier = directory.position(of: entryID) {
            error = .repeatedDN(file: file, line: entry.line, dn: entry.dn, firstLine: directory.entries[earlier].line)
            return
        }
        directory.add(entry, id: entryID)
        directory.discardPendingMembers()
    }

    mutating func skipConflict(_ item: SourceNote.Item) {
        directory.conflicts.append(item)
        directory.discardPendingMembers()
    }

    mutating func drop() {
        directory.discardPendingMembers()
    }

    /// Hands the directory over, for resolution; the filing is left empty.
    mutating func finish() -> LDIFDirectory {
        var finished = LDIFDirectory()
        swap(&finished, &directory)
        return finished
    }
}
