/// What every reader accepts as a pre-counted number of seats.
enum SeatCount {
    /// Counts above this are refused: no plan bills two billion seats, and every consumer can hold the number.
    static let largest = Int(Int32.max)
}
