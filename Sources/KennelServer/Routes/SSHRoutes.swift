import Hummingbird
import KennelControl
import KennelModel
import KennelWire

/// `/api/v1/users/{name}/keys` (users' SSH public keys, registered, listed and removed by
/// the user or an admin), `/api/v1/known_hosts` (machines' host keys), and
/// `/api/v1/ssh/certificates` and `/api/v1/ssh/ca` (short-lived user certificates).
struct SSHRoutes {
    typealias Context = KennelRequestContext
    let keys: SSHKeyService
    let certificates: SSHCertificateService

    func register(on group: RouterGroup<Context>) {
        group.post("users/:name/keys") { request, context in
            let requester = try context.requester()
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["key"])
            let user = try context.pathName(of: "user")
            let key = try await keys.add(try fields.required("key"), to: user, by: requester)
            return JSONResponse.make(SSHKeyView(key), status: .created, headers: [.location: "/api/v1/users/\(user)/keys"])
        }
        group.get("users/:name/keys") { _, context in
            let listed = try await keys.keys(of: try context.pathName(of: "user"), by: try context.requester())
            return JSONResponse.make(SSHKeyList(listed.map(SSHKeyView.init)))
        }
        group.post("ssh/certificates") { request, context in
            let requester = try context.requester()
            let fields = try await RequestFieldsDecoding.fields(of: request, allowed: ["public_key", "validity"])
            let certificate = try await certificates.sign(
                try fields.required("public_key"), validity: try fields.optional("validity"), by: requester)
            return JSONResponse.make(SSHCertificateView(certificate), status: .created)
        }
        group.get("ssh/ca") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: try await certificates.authorityKey().description + "\n")))
        }
        group.get("known_hosts") { _, context in
            Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: try await keys.knownHosts(by: try context.requester()))))
        }
        group.delete("users/:name/keys") { request, context in
            guard let fingerprint = try Query.value("fingerprint", in: request, as: KeyFingerprint.self) else {
                throw KennelError.missing("fingerprint")
            }
            try await keys.remove(fingerprint: fingerprint.value, of: try context.pathName(of: "user"), by: try context.requester())
            return Response(status: .noContent)
        }
    }
}
