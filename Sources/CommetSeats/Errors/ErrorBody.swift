/// The fields of a Commet error body: `{"error": {...}}`, the same keys at the top level, or
/// `{"error": "text"}`. Each field is read leniently, so one odd field does not hide the others.
struct ErrorBody: Decodable {
    var type: String?
    var code: String?
    var message: String?
    var param: String?
    var details: [FieldError] = []
    var docURL: String?

    private enum CodingKeys: String, CodingKey {
        case error
        case type
        case code
        case message
        case param
        case details
        case docURL = "doc_url"
        case docUrl
    }

    /// Whether the body said anything an error body says.
    var isEmpty: Bool { type == nil && code == nil && message == nil }

    init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: CodingKeys.self)
        if let nested = try? top.nestedContainer(keyedBy: CodingKeys.self, forKey: .error) {
            read(nested)
        } else {
            read(top)
            if message == nil {
                message = try? top.decodeIfPresent(String.self, forKey: .error)
            }
        }
    }

    private mutating func read(_ container: KeyedDecodingContainer<CodingKeys>) {
        type = try? container.decodeIfPresent(String.self, forKey: .type)
        code = try? container.decodeIfPresent(String.self, forKey: .code)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
        param = try? container.decodeIfPresent(String.self, forKey: .param)
        details = (try? container.decodeIfPresent([FieldError].self, forKey: .details)) ?? []
        docURL =
            (try? container.decodeIfPresent(String.self, forKey: .docURL))
            ?? (try? container.decodeIfPresent(String.self, forKey: .docUrl))
    }
}
