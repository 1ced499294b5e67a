import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import KennelServer
import KennelTesting
import Testing

@Suite("OpenAPI: the document, the routes and real answers agree")
struct OpenAPITests {
    static let methods = ["get", "post", "put", "patch", "delete"]

    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: try OpenAPIDocument.json()) as? [String: Any])
    }

    @Test("every route is in the document with exactly its methods, and every path of the document is a route")
    func routesMatch() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        let documented = Set(
            paths.flatMap { path, item in Self.methods.filter { item[$0] != nil }.map { "\($0.uppercased()) \(path)" } })
        let routed = Set(
            RouteTable.routes.flatMap { route in
                let path = "/" + route.pattern.map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : $0 }.joined(separator: "/")
                return route.methods.map { "\($0.rawValue) \(path)" }
            })
        #expect(documented.subtracting(routed).sorted() == [], "documented but not routed")
        #expect(routed.subtracting(documented).sorted() == [], "routed but not documented")
    }

    @Test("the document is OpenAPI 3.1: every $ref resolves, operation ids are unique, every operation answers its errors, examples fit")
    func wellFormed() throws {
        let document = try Self.document()
        #expect(document["openapi"] as? String == "3.1.0")
        let check = SchemaCheck(document: document)
        var refs: [String] = []
        func collect(_ node: Any) {
            if let object = node as? [String: Any] {
                if let ref = object["$ref"] as? String { refs.append(ref) }
                object.values.forEach(collect)
            } else if let array = node as? [Any] {
                array.forEach(collect)
            }
        }
        collect(document)
        #expect(!refs.isEmpty)
        #expect(refs.filter { check.resolve($0) == nil } == [])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var ids: [String] = []
        for (path, item) in paths {
            for method in Self.methods {
                guard let operation = item[method] as? [String: Any] else { continue }
                ids.append(try #require(operation["operationId"] as? String, "\(method) \(path)"))
                let responses = try #require(operation["responses"] as? [String: Any])
                let open = (operation["security"] as? [Any])?.isEmpty == true
                #expect(open || responses["default"] != nil, "\(method) \(path) documents no error answer")
            }
        }
        #expect(Set(ids).count == ids.count)
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        for (name, schema) in schemas {
            for example in schema["examples"] as? [Any] ?? [] {
                #expect(check.problems(example, against: schema) == [], "the example of \(name)")
            }
        }
    }

    @Test("/api/v1/openapi.json is open and serves the document as JSON")
    func served() async throws {
        try await withAPI { client, _ in
            let response = try await client.with(token: nil).get("/api/v1/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(Data(String(buffer: response.body).utf8) == (try OpenAPIDocument.json()))
        }
    }

    @Test("real answers of every kind match the schema the document gives for their status")
    func answersMatch() async throws {
        try await withAPI(waitingForOperations: false) { client, plane in
            let document = try Self.document()
            let check = SchemaCheck(document: document)
            let viewer = client.with(token: try await plane.token(forNew: "vera", role: .viewer, teams: ["ops"]))
            let requests: [(method: HTTPRequest.Method, path: String, template: String, body: String?, as: AuthorizedTestClient?)] = [
                (.post, "/api/v1/machines", "/api/v1/machines", #"{"name":"web-01","idc":"dc1","service":"web","team":"ops"}"#, nil),
                (.post, "/api/v1/machines?wait=1", "/api/v1/machines", #"{"name":"web-02","idc":"dc1","owner":"al","ssh_key":[]}"#, nil),
                (.get, "/api/v1/operations/1?wait=30s", "/api/v1/operations/{id}", nil, nil),
                (.get, "/api/v1/machines", "/api/v1/machines", nil, nil),
                (.get, "/api/v1/machines/web-01", "/api/v1/machines/{name}", nil, nil),
                (.post, "/api/v1/machines/web-01/stop?wait=1", "/api/v1/machines/{name}/stop", nil, nil),
                (.post, "/api/v1/machines/web-01/start", "/api/v1/machines/{name}/start", nil, nil),
                (.get, "/api/v1/operations", "/api/v1/operations", nil, nil),
                (.delete, "/api/v1/operations/1", "/api/v1/operations/{id}", nil, nil),
                (.delete, "/api/v1/machines/web-02?wait=1", "/api/v1/machines/{name}", nil, nil),
                (.get, "/api/v1/hosts", "/api/v1/hosts", nil, nil),
                (.get, "/api/v1/hosts/z1-r1-h1", "/api/v1/hosts/{name}", nil, nil),
                (.patch, "/api/v1/hosts/z1-r1-h1", "/api/v1/hosts/{name}", #"{"labels":["ssd"],"class":"big"}"#, nil),
                (.get, "/api/v1/topology", "/api/v1/topology", nil, nil),
                (.post, "/api/v1/racks", "/api/v1/racks", #"{"idc":"dc1","zone":"z1","name":"r9"}"#, nil),
                (.get, "/api/v1/placement/explain?idc=dc1&cpus=2", "/api/v1/placement/explain", nil, nil),
                (.get, "/api/v1/placement/explain?idc=dc1&cpus=200", "/api/v1/placement/explain", nil, nil),
                (.get, "/api/v1/services/web/spread", "/api/v1/services/{service}/spread", nil, nil),
                (.get, "/api/v1/pools", "/api/v1/pools", nil, nil),
                (.get, "/api/v1/pools/pool-a", "/api/v1/pools/{name}", nil, nil),
                (.get, "/api/v1/pools/pool-a/leases", "/api/v1/pools/{name}/leases", nil, nil),
                (.post, "/api/v1/users", "/api/v1/users", #"{"name":"olga","role":"operator"}"#, nil),
                (.post, "/api/v1/teams/ops/members", "/api/v1/teams/{name}/members", #"{"user":"olga"}"#, nil),
                (.get, "/api/v1/teams", "/api/v1/teams", nil, nil),
                (.get, "/api/v1/users", "/api/v1/users", nil, nil),
                (.get, "/api/v1/whoami", "/api/v1/whoami", nil, nil),
                (.post, "/api/v1/tokens", "/api/v1/tokens", #"{"name":"ci","user":"olga","expires":"30d"}"#, nil),
                (.get, "/api/v1/tokens?all=1", "/api/v1/tokens", nil, nil),
                (.delete, "/api/v1/tokens/3", "/api/v1/tokens/{id}", nil, nil),
                (.get, "/api/v1/audit", "/api/v1/audit", nil, nil),
                (.get, "/api/v1/machines/nope", "/api/v1/machines/{name}", nil, nil),
                (.post, "/api/v1/machines", "/api/v1/machines", #"{"name":"web-03","idc":"dc1","cpus":400}"#, nil),
                (.post, "/api/v1/machines?wait=1", "/api/v1/machines", #"{"name":"web-04","idc":"dc1","memory":"900G"}"#, nil),
                (.delete, "/api/v1/pools/pool-a", "/api/v1/pools/{name}", nil, nil),
                (.delete, "/api/v1/hosts/z1-r1-h2", "/api/v1/hosts/{name}", nil, viewer),
                (.get, "/api/v1/machines", "/api/v1/machines", nil, client.with(token: "kennel_nonsense")),
            ]
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var statuses: Set<Int> = []
            for request in requests {
                let response = try await (request.as ?? client).executeRequest(
                    uri: request.path, method: request.method, headers: request.body == nil ? [:] : [.contentType: "application/json"],
                    body: request.body.map { ByteBuffer(string: $0) })
                statuses.insert(response.status.code)
                let operation = try #require(paths[request.template]?[request.method.rawValue.lowercased()] as? [String: Any], "\(request.template)")
                let responses = try #require(operation["responses"] as? [String: Any])
                let answer = check.dereferenced(
                    try #require(
                        (responses["\(response.status.code)"] ?? responses["default"]) as? [String: Any], "\(request.path) \(response.status)"))
                guard let content = answer["content"] as? [String: [String: Any]] else {
                    #expect(response.body.readableBytes == 0, "\(request.method) \(request.path): a body the document does not give")
                    continue
                }
                let schema = try #require(content["application/json"]?["schema"] as? [String: Any], "\(request.path)")
                let body = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                #expect(check.problems(body, against: schema) == [], "\(request.method) \(request.path) \(response.status.code)")
            }
            #expect(statuses.isSuperset(of: [200, 201, 202, 204, 401, 403, 404, 422]), "\(statuses.sorted())")
        }
    }
}
