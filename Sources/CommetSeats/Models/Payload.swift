/// A success body, enveloped (`{"success": true, "data": ...}`) or bare.
///
/// As in the official SDKs, a body is an envelope when it is an object whose `success` is a boolean and which
/// has a `data` key; anything else is the payload itself.
struct Payload<Value: Decodable>: Decodable {
    var value: Value

    private enum EnvelopeKeys: String, CodingKey {
        case success
        case data
    }

    init(from decoder: any Decoder) throws {
        if let envelope = try? decoder.container(keyedBy: EnvelopeKeys.self),
            (try? envelope.decode(Bool.self, forKey: .success)) != nil,
            envelope.contains(.data)
        {
            value = try envelope.decode(Value.self, forKey: .data)
        } else {
            value = try Value(from: decoder)
        }
    }
}

/// setAll's answer: `{"object": "list", "data": [SeatEvent, ...]}`, or the bare array.
struct SeatEventList: Decodable {
    var events: [SeatEvent]

    private enum CodingKeys: String, CodingKey {
        case data
    }

    init(from decoder: any Decoder) throws {
        if let list = try? decoder.container(keyedBy: CodingKeys.self) {
            events = try list.decode([SeatEvent].self, forKey: .data)
        } else {
            events = try [SeatEvent](from: decoder)
        }
    }
}
