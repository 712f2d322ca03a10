/// One input libFuzzer hands a harness, and what about it the invariants need.
package struct FuzzInput {
    /// The input's bytes, valid only during the call that received them.
    package let bytes: UnsafeRawBufferPointer
    /// The highest line number any message about this input may name: every LF and every CR may end a line
    /// (readers count CR-only line ends too), and a last line may lack its line end.
    package let lastLine: Int

    /// - Parameters:
    ///   - data: the pointer `LLVMFuzzerTestOneInput` received; `nil` when `count` is 0.
    ///   - count: the number of bytes at `data`.
    package init(_ data: UnsafePointer<UInt8>?, _ count: Int) {
        bytes = UnsafeRawBufferPointer(start: data, count: count)
        lastLine = bytes.reduce(1) { lines, byte in byte == 0x0A || byte == 0x0D ? lines + 1 : lines }
    }
}
