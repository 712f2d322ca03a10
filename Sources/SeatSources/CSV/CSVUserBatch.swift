/// The users of rows already read and checked, held back to be put into their customers' user tables a customer at
/// a time.
///
/// Every customer has a user table of its own, and exports list customers in no order, so a row put in at once lands
/// in a table that is cold in cache: a miss for each array of the table. Put in a batch at a time, a customer's rows
/// together, a table's arrays are fetched once for all of its rows in the batch. Each customer's rows keep their
/// file order, so users are numbered, and their first grants kept, exactly as row by row; only the order between
/// customers changes, and no table depends on another. On the benchmark's 1,000,000-row CSV (2,000 customers) this
/// took check-config's median CPU time from 1.77 to 1.33 s, and in a quieter run from 1.50 to 1.27 s; the fastest runs
/// of both took about 1.05 s. It pays when other processes share the cache, as on a busy host. Batches are put in on a
/// second thread (``BatchWorker``), one after another in file order.
struct CSVUserBatch: WorkBatch {
    private struct Row {
        var customer: Int
        var line: Int
        /// Where the row's user id ends in `userBytes`; it starts where the previous row's ends.
        var userEnd: Int
        /// Where the row's feature numbers end in `features`; they start where the previous row's end.
        var featureEnd: Int
        /// The customer's next row in the batch; -1 for its last.
        var next = -1
    }

    /// How many rows a batch holds: a few per customer for thousands of customers, in about half a megabyte.
    static let capacity = 8192

    private var rows: [Row] = []
    private var userBytes: [UInt8] = []
    private var features: [UInt32] = []
    /// Per customer position, its first and last row in the batch; -1 when it has none.
    private var firstRow: [Int] = []
    private var lastRow: [Int] = []
    /// The customers that have rows in the batch, in the order first met.
    private var customers: [Int] = []

    var isFull: Bool { rows.count >= Self.capacity }
    var isEmpty: Bool { rows.isEmpty }

    /// Holds back a feature number of the row being read, which ``add(customer:user:line:)`` then completes. The
    /// reader puts each mapped role's number here as it meets it: kept in an array of its own and handed over, the
    /// row's numbers were an array retained and released on every row.
    mutating func addFeature(_ feature: UInt32) {
        features.append(feature)
    }

    /// How many feature numbers the row being read holds so far.
    var pendingFeatures: Int { features.count - (rows.last?.featureEnd ?? 0) }

    /// Holds back the row on `line` listing `user` (UTF-8, trimmed) for the customer at position `customer`, with
    /// the feature numbers ``addFeature(_:)`` added since the previous row (none for a user whose roles map to
    /// nothing).
    mutating func add(customer: Int, user: UnsafeBufferPointer<UInt8>, line: Int) {
        if customer >= firstRow.count {
            firstRow += repeatElement(-1, count: customer + 1 - firstRow.count)
            lastRow += repeatElement(-1, count: customer + 1 - lastRow.count)
        }
        userBytes.append(contentsOf: user)
        let row = rows.count
        rows.append(Row(customer: customer, line: line, userEnd: userBytes.count, featureEnd: features.count))
        if lastRow[customer] < 0 {
            firstRow[customer] = row
            customers.append(customer)
        } else {
            rows[lastRow[customer]].next = row
        }
        lastRow[customer] = row
    }

    /// Puts every held-back user and grant into `tables`, indexed by customer position, and empties the batch.
    ///
    /// The batch's arrays are read through pointers taken once: read in the loop, each row's slice of `features`
    /// retained and released the array (3.5% of flushing's samples on the benchmark's CSV).
    /// - Parameter newTable: makes the table of a customer past the end of `tables`.
    mutating func flush(into tables: inout [UserTable], newTable: () -> UserTable) {
        userBytes.withUnsafeBufferPointer { bytes in
            rows.withUnsafeBufferPointer { rows in
                features.withUnsafeBufferPointer { features in
                    firstRow.withUnsafeBufferPointer { firstRow in
                        Self.put(customers, rows, bytes, features, firstRow, into: &tables, newTable: newTable)
                    }
                }
            }
        }
        for customer in customers {
            firstRow[customer] = -1
            lastRow[customer] = -1
        }
        rows.removeAll(keepingCapacity: true)
        userBytes.removeAll(keepingCapacity: true)
        features.removeAll(keepingCapacity: true)
        customers.removeAll(keepingCapacity: true)
    }

    private static func put(
        _ customers: [Int],
        _ rows: UnsafeBufferPointer<Row>,
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ features: UnsafeBufferPointer<UInt32>,
        _ firstRow: UnsafeBufferPointer<Int>,
        into tables: inout [UserTable],
        newTable: () -> UserTable
    ) {
        func user(_ row: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[(row == 0 ? 0 : rows[row - 1].userEnd)..<rows[row].userEnd])
        }
        for (index, customer) in customers.enumerated() {
            // The next customer's first slots are asked for now, so that their cache misses overlap this
            // customer's work rather than each stalling a lookup in turn.
            if index + 1 < customers.count, customers[index + 1] < tables.count {
                let next = customers[index + 1]
                tables[next].prefetchForNewUser()
                var row = firstRow[next]
                while row >= 0 {
                    tables[next].prefetch(written: user(row))
                    row = rows[row].next
                }
            }
            while customer >= tables.count { tables.append(newTable()) }
            var row = firstRow[customer]
            while row >= 0 {
                let user = tables[customer].user(written: user(row))
                for feature in (row == 0 ? 0 : rows[row - 1].featureEnd)..<rows[row].featureEnd {
                    tables[customer].grant(user, feature: features[feature], place: 0, line: rows[row].line)
                }
                row = rows[row].next
            }
        }
    }
}
