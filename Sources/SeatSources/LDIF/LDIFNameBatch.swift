/// The normalised DNs the LDIF reader met, and how each record ended, held back to be numbered and filed into an
/// ``LDIFDirectory`` on a second thread (``BatchWorker``).
///
/// Numbering member DNs (a lookup in a table of every distinct DN of the file, a cache miss or two each) was most
/// of reading the benchmark's exports after splitting lines. The reader's thread normalises every DN, so that a
/// value that is no DN fails there, in file order with every other error of the reading, and keeps what decides
/// how a record ends; the worker takes the DNs in file order, so every DN gets the number it would have got on one
/// thread, and the directory ends the same. Normalising on the worker too left it the busier thread: on the
/// benchmark's group LDIF it was busy throughout reading while the reader's thread waited a third of the time.
struct LDIFNameBatch: WorkBatch {
    /// A batch is handed over once it holds this many steps (128 KiB of them) or this many bytes of DNs: a few
    /// hundred kilobytes, whatever the DNs' length.
    static let capacity = 8192
    static let byteCapacity = 1 << 19

    private enum Kind: UInt8 {
        /// A `member` or `uniqueMember` value of the record being read, normalised; `value` is where it ends in
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
        var value: UInt32
    }

    private var steps: [Step] = []
    /// The DNs of the `member` and `entryDN` steps, back to back.
    private var bytes: [UInt8] = []
    private var entries: [LDIFEntry] = []
    private var conflicts: [SourceNote.Item] = []

    var isFull: Bool { steps.count >= Self.capacity || bytes.count >= Self.byteCapacity }
    var isEmpty: Bool { steps.isEmpty }

    /// Adds the normalised DN of a member value of the record being read.
    mutating func addMember(_ dn: UnsafeBufferPointer<UInt8>) {
        add(.member, dn)
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
                        filing.addMember(dn)
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
/// there: a DN that two records have.
struct LDIFFiling {
    /// The file named in errors.
    let file: String
    /// Which groups' members are numbered as they are filed: the others' are held (see ``DNTable/hold(_:)``).
    let mapping: LDIFGroupMapping
    private(set) var directory = LDIFDirectory()
    /// The first error in file order; nothing is filed after it.
    private(set) var error: LDIFError?
    /// The number of the DN of the record being filed.
    private var entryID: Int32 = 0

    init(file: String, mapping: LDIFGroupMapping) {
        self.file = file
        self.mapping = mapping
    }

    /// Keeps a member value's normalised DN for the record being filed.
    mutating func addMember(_ dn: UnsafeBufferPointer<UInt8>) {
        directory.appendMember(dn)
    }

    mutating func startEntry(_ dn: UnsafeBufferPointer<UInt8>) {
        entryID = directory.names.id(of: dn)
    }

    mutating func keep(_ entry: LDIFEntry) {
        if let earlier = directory.position(of: entryID) {
            error = .repeatedDN(file: file, line: entry.line, dn: entry.dn, firstLine: directory.entries[earlier].line)
            return
        }
        directory.add(entry, id: entryID, numberingMembers: !entry.isGroup || mapping.mayMap(entry, file: file))
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
