/// Takes the elements of the array that a document's root object holds under one key, each as soon as the parser
/// has completed it, so that the next element's entries are written over it (``JSONParser/parse(_:splitting:streaming:)``).
///
/// A seat snapshot is one long array of customers. Put on the tape whole, it took 28 MiB for the benchmark's 200,000
/// users, every page of it written fresh, and read back from memory once the parse was over; taken as they are
/// parsed, the tape holds one customer at a time, still in cache when it is read.
///
/// A tape whose array was streamed holds the array's count of elements (``JSONTape/View/count(_:)``), but none of
/// the elements the consumer took.
protocol JSONArrayConsumer: AnyObject, Sendable {
    /// Takes `element`, complete on `tape`; elements come in the array's order.
    /// - Returns: whether its entries may be written over. After `false`, the parser hands over no more elements
    ///   and keeps this one and every later one on the tape.
    func take(_ element: JSONTape.Value, of tape: JSONTape.View) -> Bool

    /// A consumer of the same array's elements from a ``JSONArrayTail``'s offset on, which the tail's thread calls,
    /// counting lines from 1 at the offset. Made at most once.
    func makeTailConsumer() -> any JSONArrayConsumer

    /// Takes, as the elements after those taken so far, those that the tail's consumer took; called when the tail
    /// is spliced onto the tape, where line `n` of the tail is line `lineBase + n` of the text. The elements the tail
    /// kept follow through ``take(_:of:)``.
    func takeTail(lineBase: Int)
}
