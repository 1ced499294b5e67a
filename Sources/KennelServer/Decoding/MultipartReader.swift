/// A strict reader of `multipart/form-data` bodies (RFC 7578 over RFC 2046 §5.1.1):
/// the parts between `--BOUNDARY` delimiters, each with its header lines and its bytes.
///
/// Written here rather than taken from MultipartKit 4.7.1, whose parser crashes the
/// process on a byte of 128 or more in a header name (it indexes a 128-entry table with
/// the byte): one hostile upload stopped the service. Every byte of a body is checked
/// against bounds here; anything out of shape is a `MultipartReader.Malformed` naming
/// what, which the API answers with 400.
///
/// The delimiter search is linear in the body: a boundary holds no CR, so a partial match
/// never overlaps the next candidate.
enum MultipartReader {
    /// One part: its header lines in order (names as sent) and its body.
    struct RawPart: Equatable {
        let headers: [Header]
        let body: ArraySlice<UInt8>

        /// The value of the header `name` (case-insensitive), if sent.
        func header(_ name: String) -> String? {
            headers.last { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    struct Header: Equatable {
        let name: String
        let value: String
    }

    /// Why a body or boundary was refused.
    struct Malformed: Error, Equatable {
        let reason: String
    }

    /// RFC 2046 allows 1 to 70 characters in a boundary.
    static let longestBoundary = 70

    /// The parts of `body`, split at `boundary`; the preamble and the epilogue are ignored.
    static func parts(of body: [UInt8], boundary: String) throws(Malformed) -> [RawPart] {
        try check(boundary: boundary)
        let delimiter = Array("--\(boundary)".utf8)
        var start: Int
        if body.starts(with: delimiter) {
            start = delimiter.count
        } else if let found = find(crlf + delimiter, in: body, from: 0) {
            start = found + 2 + delimiter.count
        } else {
            throw Malformed(reason: "no part starts with --\(boundary)")
        }
        var parts: [RawPart] = []
        while true {
            if body[start...].starts(with: dashes) { return parts }
            var index = start
            while index < body.count, body[index] == space || body[index] == tab { index += 1 }
            guard body[index...].starts(with: crlf) else {
                throw Malformed(reason: "a delimiter line does not end with CRLF")
            }
            let (headers, bodyStart) = try readHeaders(body, from: index + 2)
            guard let end = find(crlf + delimiter, in: body, from: bodyStart) else {
                throw Malformed(reason: "the body does not end with --\(boundary)--")
            }
            parts.append(RawPart(headers: headers, body: body[bodyStart..<end]))
            start = end + 2 + delimiter.count
        }
    }

    /// Refuses a boundary RFC 2046 does not allow (its characters and length).
    static func check(boundary: String) throws(Malformed) {
        let bytes = Array(boundary.utf8)
        guard (1...longestBoundary).contains(bytes.count) else {
            throw Malformed(reason: "a boundary has 1 to \(longestBoundary) characters")
        }
        guard bytes.allSatisfy(isBoundaryCharacter), bytes.last != space else {
            throw Malformed(reason: "the boundary has a character RFC 2046 does not allow")
        }
    }

    /// The header lines from `index` to the empty line, and where the part's body begins.
    private static func readHeaders(_ body: [UInt8], from index: Int) throws(Malformed) -> ([Header], Int) {
        var headers: [Header] = []
        var index = index
        while true {
            if body[index...].starts(with: crlf) { return (headers, index + 2) }
            let nameStart = index
            while index < body.count, isTokenCharacter(body[index]) { index += 1 }
            guard index > nameStart, index < body.count, body[index] == colon else {
                throw Malformed(reason: "a part's header line is not NAME: VALUE")
            }
            let name = String(decoding: body[nameStart..<index], as: UTF8.self)
            index += 1
            let valueStart = index
            while index < body.count, body[index] != cr, body[index] != lf { index += 1 }
            guard body[index...].starts(with: crlf) else {
                throw Malformed(reason: "a part's header line does not end with CRLF")
            }
            let value = String(decoding: body[valueStart..<index], as: UTF8.self)
            headers.append(Header(name: name, value: value.trimmingSpaces))
            index += 2
        }
    }

    /// The first index at or after `from` where `needle` (which starts with CR and holds
    /// no other CR) begins in `haystack`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = from
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == needle[0] {
                var matched = 1
                while matched < needle.count, haystack[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index }
                index += matched
            } else {
                index += 1
            }
        }
        return nil
    }

    /// RFC 9110 `tchar`: what a header name is made of.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): true
        default: tokenPunctuation.contains(byte)
        }
    }

    /// RFC 2046 `bchars`.
    private static func isBoundaryCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): true
        default: boundaryPunctuation.contains(byte)
        }
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let colon = UInt8(ascii: ":")
    private static let crlf: [UInt8] = [cr, lf]
    private static let dashes: [UInt8] = Array("--".utf8)
    private static let tokenPunctuation: [UInt8] = Array("!#$%&'*+-.^_`|~".utf8)
    private static let boundaryPunctuation: [UInt8] = Array("'()+_,-./:=? ".utf8)
}

extension String {
    /// Without leading and trailing spaces and tabs (header values' optional whitespace).
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
