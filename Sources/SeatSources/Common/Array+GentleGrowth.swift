extension Array {
    /// Appends `element`, growing the storage by half when it is full rather than doubling it.
    ///
    /// The tables of a reading hold a million users; doubling leaves them a third larger than their contents on
    /// average, growing by half about a fifth.
    mutating func appendGrowingByHalf(_ element: Element) {
        if count == capacity { reserveCapacity(count + Swift.max(count / 2, 8)) }
        append(element)
    }

    /// Appends `elements` as ``appendGrowingByHalf(_:)`` appends one.
    mutating func appendGrowingByHalf(contentsOf elements: UnsafeBufferPointer<Element>) {
        if count + elements.count > capacity { reserveCapacity(Swift.max(count + elements.count, count + count / 2)) }
        append(contentsOf: elements)
    }
}

extension [UInt8] {
    /// The bytes `stream` hands over chunk by chunk, the storage grown by half: a command's output read whole (a
    /// JSON snapshot) is held while it is parsed. A file is mapped instead (``SourceFile/withText(now:_:)``).
    init(collecting stream: ((UnsafeRawBufferPointer) throws -> Void) throws -> Int) rethrows {
        var bytes: [UInt8] = []
        _ = try stream { bytes.appendGrowingByHalf(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
        self = bytes
    }
}
