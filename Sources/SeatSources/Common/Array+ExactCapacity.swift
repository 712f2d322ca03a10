extension Array {
    /// A copy whose capacity is its count, or the array itself when it has no spare room.
    ///
    /// For a large array that is done growing and kept a while longer: growing by half leaves it up to half again
    /// its size, which a copy gives back at once.
    func withExactCapacity() -> [Element] {
        guard capacity > count else { return self }
        // `Array(unsafeUninitializedCapacity: 0)` writes its count into the storage every empty array shares, a race
        // with any other thread reading an empty array (ThreadSanitizer caught one beside the JSON reader).
        guard !isEmpty else { return [] }
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = withUnsafeBufferPointer { buffer.initialize(fromContentsOf: $0) }
        }
    }
}
