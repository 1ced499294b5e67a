import Foundation
import KennelModel

/// The root-filesystem concern on a host: images (verified before use) and each
/// machine's clone of one.
struct RootfsDriver: Sendable {
    let paths: HostPaths
    let runner: any CommandRunner

    func handle(_ request: RootfsRequest) async throws -> Data {
        let verifier = ImageVerifier(runner: runner)
        switch request {
        case .provision(let machine, let image, let tarball, let sha256):
            guard try await verifier.isVerified(tarball, sha256: sha256) else {
                throw KennelError(.hostFailure, "image \(image) is not on this host, or its file is damaged")
            }
            let artifact = ImageArtifact(name: image, tarball: URL(fileURLWithPath: tarball), sha256: sha256)
            try await LocalRootfsProvisioner(paths: paths, runner: runner).provision(machine, from: artifact, files: [])
            return try NodeReply.encode(Done())
        case .remove(let machine):
            try LocalRootfsProvisioner(paths: paths, runner: runner).remove(machine)
            return try NodeReply.encode(Done())
        case .imagePresent(let path, let sha256):
            let folder = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return try NodeReply.encode(try await verifier.isVerified(path, sha256: sha256))
        case .installImage(let partial, let path, let sha256):
            try await verifier.install(partial, as: path, sha256: sha256)
            return try NodeReply.encode(Done())
        }
    }
}
