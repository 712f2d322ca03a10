/// How large one piece of input may be, so that a hostile or broken file is refused with a clear error instead of
/// filling memory, the plan and the log.
///
/// The one owner of these bounds: every reader calls it.
package enum InputLimits {
    /// The most bytes a single value may take: a CSV cell or record (a header or row line), a JSON string or
    /// number, an LDIF value or DN. Real ids, customers and roles are tens of bytes; 64 KiB leaves room for any
    /// honest export.
    package static let maxValueBytes = 64 * 1024

    /// ``maxValueBytes`` as errors name it.
    package static let maxValueText = "\(maxValueBytes / 1024) KiB"
}
