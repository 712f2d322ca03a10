package enum InputLimits { package static let maxValueBytes = 64 * 1024 }
