import Foundation
import KennelGuest
import KennelHost
import KennelModel
import KennelTesting
import Testing

/// Against the real filesystem and the real `tar`, in a temporary directory.
@Suite("Root filesystem provisioning")
struct LocalRootfsProvisionerTests {
    let runner = LocalCommandRunner()

    /// A tiny image: a tarball of a tree with /etc/os-release and /usr/bin/true-ish file.
    private func image(in directory: URL) async throws -> ImageArtifact {
        let tree = directory.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("etc"), withIntermediateDirectories: true)
        try Data("ID=debian\n".utf8).write(to: tree.appendingPathComponent("etc/os-release"))
        try Data("old-name\n".utf8).write(to: tree.appendingPathComponent("etc/hostname"))
        let tarball = directory.appendingPathComponent("debian-12.tar.gz")
        _ = try await runner.run("tar", ["--create", "--gzip", "--file", tarball.path, "--directory", tree.path, "."])
        let sum = try await runner.run("sha256sum", [tarball.path]).split(separator: " ").first.map(String.init) ?? ""
        return ImageArtifact(name: .defaultImage, tarball: tarball, sha256: sum)
    }

    /// A scratch directory, a machines root inside it, a provisioner and a machine name.
    private struct Workbench {
        let directory: URL
        let paths: HostPaths
        let provisioner: LocalRootfsProvisioner
        let name: Hostname = TestSite.value("web-01")
    }

    private func workbench() throws -> Workbench {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-rootfs-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let paths = HostPaths(machinesRoot: directory.appendingPathComponent("machines").path)
        return Workbench(directory: directory, paths: paths, provisioner: LocalRootfsProvisioner(paths: paths, runner: runner))
    }

    @Test("a machine gets the image's files, its own identity files with their modes, and a data directory")
    func provision() async throws {
        let bench = try workbench()
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        let (directory, paths, provisioner, name) = (bench.directory, bench.paths, bench.provisioner, bench.name)
        let files = [
            GuestFile(path: "/etc/hostname", contents: "web-01\n"),
            GuestFile(path: "/root/.ssh/authorized_keys", contents: "ssh-ed25519 AAAA\n", mode: 0o600),
        ]
        try await provisioner.provision(name, from: try await image(in: directory), files: files)
        let rootfs = paths.rootfs(of: name)
        #expect(try String(contentsOfFile: rootfs + "/etc/os-release", encoding: .utf8) == "ID=debian\n")
        #expect(try String(contentsOfFile: rootfs + "/etc/hostname", encoding: .utf8) == "web-01\n")
        let mode = try FileManager.default.attributesOfItem(atPath: rootfs + "/root/.ssh/authorized_keys")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: paths.data(of: name), isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test("provisioning again keeps the root filesystem and rewrites the identity files")
    func idempotent() async throws {
        let bench = try workbench()
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        let (directory, paths, provisioner, name) = (bench.directory, bench.paths, bench.provisioner, bench.name)
        let image = try await image(in: directory)
        try await provisioner.provision(name, from: image, files: [GuestFile(path: "/etc/hostname", contents: "web-01\n")])
        let appFile = paths.rootfs(of: name) + "/srv/app.conf"
        try FileManager.default.createDirectory(atPath: paths.rootfs(of: name) + "/srv", withIntermediateDirectories: true)
        try Data("kept\n".utf8).write(to: URL(fileURLWithPath: appFile))
        try Data("changed-by-hand\n".utf8).write(to: URL(fileURLWithPath: paths.rootfs(of: name) + "/etc/hostname"))
        try await provisioner.provision(name, from: image, files: [GuestFile(path: "/etc/hostname", contents: "web-01\n")])
        #expect(try String(contentsOfFile: appFile, encoding: .utf8) == "kept\n")
        #expect(try String(contentsOfFile: paths.rootfs(of: name) + "/etc/hostname", encoding: .utf8) == "web-01\n")
    }

    @Test("concurrent provisions unpack the image once, next to it, and each machine gets its own copy")
    func unpackOnce() async throws {
        let bench = try workbench()
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        let image = try await image(in: bench.directory)
        let names = (1...4).map { TestSite.value("web-0\($0)") as Hostname }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names { group.addTask { try await bench.provisioner.provision(name, from: image, files: []) } }
            try await group.waitForAll()
        }
        let siblings = try FileManager.default.contentsOfDirectory(atPath: bench.directory.path)
        #expect(siblings.filter { $0.hasPrefix("debian-12.tar.gz.rootfs") } == ["debian-12.tar.gz.rootfs"])
        let first = bench.paths.rootfs(of: names[0]) + "/etc/os-release"
        try Data("changed\n".utf8).write(to: URL(fileURLWithPath: first))
        #expect(try String(contentsOfFile: bench.paths.rootfs(of: names[1]) + "/etc/os-release", encoding: .utf8) == "ID=debian\n")
        #expect(try String(contentsOfFile: image.tarball.path + ".rootfs/etc/os-release", encoding: .utf8) == "ID=debian\n")
    }

    @Test("a newer image never replaces a provisioned machine's root filesystem")
    func keepsDisk() async throws {
        let bench = try workbench()
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        let (paths, provisioner, name) = (bench.paths, bench.provisioner, bench.name)
        let image = try await image(in: bench.directory)
        try await provisioner.provision(name, from: image, files: [])
        let appFile = paths.rootfs(of: name) + "/srv-app.conf"
        try Data("kept\n".utf8).write(to: URL(fileURLWithPath: appFile))
        let newer = ImageArtifact(name: image.name, tarball: image.tarball, sha256: String(repeating: "f", count: 64))
        try await provisioner.provision(name, from: newer, files: [])
        #expect(try String(contentsOfFile: appFile, encoding: .utf8) == "kept\n")
    }

    @Test("a symlink planted in the guest cannot redirect an identity file onto the host")
    func symlinkInGuest() async throws {
        let bench = try workbench()
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        let (directory, paths, provisioner, name) = (bench.directory, bench.paths, bench.provisioner, bench.name)
        let image = try await image(in: directory)
        try await provisioner.provision(name, from: image, files: [])
        let outside = directory.appendingPathComponent("host-file")
        try Data("host\n".utf8).write(to: outside)
        let hostname = paths.rootfs(of: name) + "/etc/hostname"
        try FileManager.default.removeItem(atPath: hostname)
        try FileManager.default.createSymbolicLink(atPath: hostname, withDestinationPath: outside.path)
        try await provisioner.provision(name, from: image, files: [GuestFile(path: "/etc/hostname", contents: "web-01\n")])
        #expect(try String(contentsOf: outside, encoding: .utf8) == "host\n")
        #expect(try String(contentsOfFile: hostname, encoding: .utf8) == "web-01\n")
    }

    @Test("remove deletes everything of the machine, and is a no-op the second time")
    func remove() async throws {
        let bench = try workbench()
        defer { try? FileManager.default.removeItem(at: bench.directory) }
        let (directory, paths, provisioner, name) = (bench.directory, bench.paths, bench.provisioner, bench.name)
        try await provisioner.provision(name, from: try await image(in: directory), files: [])
        try provisioner.remove(name)
        try provisioner.remove(name)
        #expect(!FileManager.default.fileExists(atPath: paths.directory(of: name)))
    }

    @Test("a failing command is a host_failure naming the command")
    func failingCommand() async {
        await #expect {
            _ = try await runner.run("tar", ["--extract", "--file", "/nonexistent/image.tar.gz"])
        } throws: { error in
            (error as? KennelError)?.code == .hostFailure
                && (error as? KennelError)?.message.hasPrefix("tar --extract --file failed (exit status 2)") == true
        }
    }
}
