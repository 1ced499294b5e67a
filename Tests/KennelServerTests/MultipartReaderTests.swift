import Foundation
import Testing

@testable import KennelServer

@Suite("Multipart bodies are read strictly: every shape is a part list or a reason, never a crash")
struct MultipartReaderTests {
    private func read(_ text: String, boundary: String = "XyZ") throws(MultipartReader.Malformed) -> [MultipartReader.RawPart] {
        try MultipartReader.parts(of: Array(text.utf8), boundary: boundary)
    }

    private func summary(_ parts: [MultipartReader.RawPart]) -> [String] {
        parts.map { part in
            part.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ",") + "|" + String(decoding: part.body, as: UTF8.self)
        }
    }

    @Test(
        "well-formed bodies: parts with their headers and bytes; preamble, padding and epilogue ignored",
        arguments: [
            ("--XyZ\r\nA: 1\r\n\r\nbody\r\n--XyZ--\r\n", ["A=1|body"]),
            ("--XyZ\r\nA: 1\r\n\r\nbody\r\n--XyZ--", ["A=1|body"]),
            ("preamble\r\n--XyZ\r\nA: 1\r\n\r\nx\r\n--XyZ--\r\nepilogue", ["A=1|x"]),
            ("--XyZ  \r\nA:\t 1 \r\n\r\n\r\n--XyZ--", ["A=1|"]),
            ("--XyZ\r\n\r\nno headers\r\n--XyZ--", ["|no headers"]),
            ("--XyZ\r\nA: 1\r\nB: two words\r\n\r\na\r\n--XyZ\r\nC: 3\r\n\r\nb\r\n--XyZ--", ["A=1,B=two words|a", "C=3|b"]),
            ("--XyZ\r\nA: 1\r\n\r\nline\r\n--Xy\r\n-XyZ\r\r\n--XyZ--", ["A=1|line\r\n--Xy\r\n-XyZ\r"]),
            ("--XyZ--", []),
            ("--XyZ\r\nA: 1\r\n\r\n\u{00FC}\u{009B}\r\n--XyZ--", ["A=1|\u{00FC}\u{009B}"]),
        ])
    func wellFormed(body: String, expected: [String]) throws {
        #expect(summary(try read(body)) == expected)
    }

    @Test(
        "malformed bodies are refused with a reason (the first is the one that crashed MultipartKit)",
        arguments: [
            ("--XyZ\r\np\u{00FC}\u{009B}--XyZ--\r\n", "header line"),
            ("--XyZ\r\n\u{00FC}: 1\r\n\r\nx\r\n--XyZ--", "header line"),
            ("--XyZ\r\n: 1\r\n\r\nx\r\n--XyZ--", "header line"),
            ("--XyZ\r\n A: 1\r\n\r\nx\r\n--XyZ--", "header line"),
            ("--XyZ\r\nA: 1\nB: 2\r\n\r\nx\r\n--XyZ--", "CRLF"),
            ("--XyZ\r\nA: 1", "CRLF"),
            ("--XyZ\r\nA", "header line"),
            ("--XyZ\r\nA: 1\r\n", "header line"),
            ("--XyZ\r\nA: 1\r\n\r\nno end", "does not end with --XyZ--"),
            ("--XyZ\r\nA: 1\r\n\r\nx\r\n--XyZ", "CRLF"),
            ("--XyZx\r\n", "CRLF"),
            ("--XyZ\r\nA: 1\r\n\r\nthe boundary in the data\r\n--XyZnot\r\n--XyZ--", "CRLF"),
            ("--XyZ", "CRLF"),
            ("", "no part starts"),
            ("nothing here", "no part starts"),
            ("--other\r\n\r\nx\r\n--other--", "no part starts"),
        ])
    func malformed(body: String, reason: String) {
        #expect {
            _ = try read(body)
        } throws: { error in
            (error as? MultipartReader.Malformed)?.reason.contains(reason) == true
        }
    }

    @Test(
        "boundaries: 1 to 70 of RFC 2046's characters, not ending in a space",
        arguments: [
            ("a", true), (String(repeating: "b", count: 70), true), ("----WebKitFormBoundary7MA4YWxk", true), ("a'()+_,-./:=? z", true),
            ("", false), (String(repeating: "b", count: 71), false), ("a ", false), ("a\r\nb", false), ("\u{00FC}", false), ("a;b", false),
        ])
    func boundaries(boundary: String, allowed: Bool) {
        #expect(((try? MultipartReader.check(boundary: boundary)) != nil) == allowed)
    }

    @Test("every byte in every position of a small body: a result or a refusal, no trap")
    func everyByte() {
        let template = Array("--B\r\nA: 1\r\n\r\nx\r\n--B--\r\n".utf8)
        for position in template.indices {
            for byte in UInt8.min...UInt8.max {
                var body = template
                body[position] = byte
                _ = try? MultipartReader.parts(of: body, boundary: "B")
                _ = try? MultipartReader.parts(of: Array(body[..<position]), boundary: "B")
            }
        }
    }

    @Test(
        "header parameters: tokens, quoted values holding ; and =, escapes, names case-insensitive",
        arguments: [
            (#"form-data; name="file"; filename="a.csv""#, "filename", "a.csv"),
            (#"form-data; name="file"; filename="a;b=c.csv""#, "filename", "a;b=c.csv"),
            (#"form-data; filename="say \"hi\".csv"; name=x"#, "name", "x"),
            (#"form-data; filename="say \"hi\".csv""#, "filename", #"say "hi".csv"#),
            (#"form-data; filename="C:\temp\a.csv""#, "filename", #"C:\temp\a.csv"#),
            (#"form-data; NAME = file "#, "name", "file"),
            ("multipart/form-data; boundary=XyZ", "boundary", "XyZ"),
            (#"multipart/form-data; charset=utf-8; boundary="a b""#, "boundary", "a b"),
            (#"form-data; name="file"; name="second""#, "name", "file"),
            (#"form-data; name="unterminated"#, "name", "unterminated"),
        ])
    func parameters(header: String, name: String, value: String) {
        #expect(MultipartForm.parameter(name, in: header) == value)
    }

    @Test("header parameters absent: no such name, a name without =, the type itself")
    func parametersAbsent() {
        #expect(MultipartForm.parameter("filename", in: #"form-data; name="file""#) == nil)
        #expect(MultipartForm.parameter("name", in: "form-data; name") == nil)
        #expect(MultipartForm.parameter("form-data", in: "form-data") == nil)
        #expect(MultipartForm.parameter("name", in: #"form-data; filename="x; name=y""#) == nil)
    }
}
