import CPrefetch

extension Array {
    /// Asks for the cache line that holds the array's count and capacity, which every append reads first.
    ///
    /// The header sits just before the first element in Swift's array storage; a prefetch is only a hint, so an
    /// address outside the storage would cost a wasted fetch, never a fault.
    func prefetchHeader() {
        withUnsafeBufferPointer { elements in
            if let first = elements.baseAddress { seat_prefetch(UnsafeRawPointer(first) - 16) }
        }
    }

    /// Asks for the cache line of the element at `index`, such as where the next append writes.
    func prefetchElement(at index: Int) {
        withUnsafeBufferPointer { elements in
            if let first = elements.baseAddress { seat_prefetch(first + index) }
        }
    }
}
