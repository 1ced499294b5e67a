import Foundation
import Hummingbird
import KennelModel
import Mustache

/// The console's Mustache templates and static files, read from the module's resources
/// once, at start-up. Every `{{value}}` is HTML-escaped (the library's default for
/// templates; no template uses the unescaped forms).
struct ConsoleTemplates: Sendable {
    private let library: MustacheLibrary
    /// Static files by name: bytes and content type.
    let files: [String: (bytes: [UInt8], type: String)]

    /// Reads every template and static file; a missing or malformed one is an error
    /// (the service does not start with a broken console).
    init() throws {
        guard let root = Bundle.module.resourceURL else { throw ConsoleResourceError("the console's resources are missing") }
        var library = MustacheLibrary()
        let templates = root.appendingPathComponent("Templates")
        for name in try FileManager.default.contentsOfDirectory(atPath: templates.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            do {
                try library.register(text, named: String(name.dropLast(".mustache".count)))
            } catch {
                throw ConsoleResourceError("template \(name) does not parse: \(error)")
            }
        }
        self.library = library
        var files: [String: (bytes: [UInt8], type: String)] = [:]
        let statics = root.appendingPathComponent("Static")
        for name in try FileManager.default.contentsOfDirectory(atPath: statics.path) {
            let type =
                switch (name as NSString).pathExtension {
                case "css": "text/css; charset=utf-8"
                case "js": "text/javascript; charset=utf-8"
                case "png": "image/png"
                case "svg": "image/svg+xml"
                default: "application/octet-stream"
                }
            files[name] = (Array(try Data(contentsOf: statics.appendingPathComponent(name))), type)
        }
        self.files = files
    }

    /// The page `template` renders from `model`.
    func render(_ template: String, _ model: Any) throws -> String {
        guard let text = library.render(model, withTemplate: template) else {
            throw KennelError(.internal, "the console has no template \(template)")
        }
        return text
    }
}

/// A console resource is missing or broken.
struct ConsoleResourceError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
