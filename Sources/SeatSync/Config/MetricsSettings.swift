/// The `metrics` section: what seat-sync tells a monitoring system besides its log.
package struct MetricsSettings: Sendable, Hashable {
    /// `metrics.textfile`: the file the pass's gauges are written to after every pass, for node_exporter's textfile
    /// collector; relative to the config's folder. `nil` (the default): no file is written.
    package var textfile: String?

    package init(textfile: String? = nil) {
        self.textfile = textfile
    }
}
