import Foundation
import KennelGuest
@testable import KennelHost
import KennelModel
import KennelTesting
import Testing

@Suite("A machine's folder on its host")
struct MachineFolderTests {
    private let name: Hostname = TestSite.value("web-01")

    private func folder() throws -> (URL, HostPaths) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-folder-\(UUID())")
        let paths = HostPaths(machinesRoot: directory.appendingPathComponent("machines").path)
        try FileManager.default.createDirectory(atPath: paths.rootfs(of: name) + "/etc", withIntermediateDirectories: true)
        return (directory, paths)
    }

    @Test("identity files are written with their modes")
    func write() throws {
        let (directory, paths) = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        try MachineFolder(paths: paths).writeFiles(
            [GuestFile(path: "/etc/hostname", contents: "web-01\n"), GuestFile(path: "/root/.ssh/authorized_keys", contents: "k\n", mode: 0o600)],
            for: name)
        #expect(try String(contentsOfFile: paths.rootfs(of: name) + "/etc/hostname", encoding: .utf8) == "web-01\n")
        let mode = try FileManager.default.attributesOfItem(atPath: paths.rootfs(of: name) + "/root/.ssh/authorized_keys")[.posixPermissions]
        #expect(mode as? Int == 0o600)
    }

    @Test("a symlink planted in the guest cannot redirect an identity file onto the host")
    func symlinkInGuest() throws {
        let (directory, paths) = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outside = directory.appendingPathComponent("host-file")
        try Data("host\n".utf8).write(to: outside)
        let hostname = paths.rootfs(of: name) + "/etc/hostname"
        try FileManager.default.createSymbolicLink(atPath: hostname, withDestinationPath: outside.path)
        try MachineFolder(paths: paths).writeFiles([GuestFile(path: "/etc/hostname", contents: "web-01\n")], for: name)
        #expect(try String(contentsOf: outside, encoding: .utf8) == "host\n")
        #expect(try String(contentsOfFile: hostname, encoding: .utf8) == "web-01\n")
    }

    @Test("a directory on the way swapped for a link (/root/.ssh -> a host directory) is refused, and the host file is untouched")
    func directoryLinkInGuest() throws {
        let (directory, paths) = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let hostDirectory = directory.appendingPathComponent("host-etc")
        try FileManager.default.createDirectory(at: hostDirectory, withIntermediateDirectories: true)
        let hostFile = hostDirectory.appendingPathComponent("authorized_keys")
        try Data("host\n".utf8).write(to: hostFile)
        try FileManager.default.createDirectory(atPath: paths.rootfs(of: name) + "/root", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: paths.rootfs(of: name) + "/root/.ssh", withDestinationPath: hostDirectory.path)
        #expect(throws: KennelError.self) {
            try MachineFolder(paths: paths).writeFiles([GuestFile(path: "/root/.ssh/authorized_keys", contents: "key\n", mode: 0o600)], for: name)
        }
        #expect(try String(contentsOf: hostFile, encoding: .utf8) == "host\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: hostDirectory.path) == ["authorized_keys"], "no temporary file either")
    }

    @Test("reads never follow a link: a host key swapped for a link to a host secret is refused; a missing file is nil")
    func reads() throws {
        let (directory, paths) = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = GuestRoot(path: paths.rootfs(of: name))
        try root.write(GuestFile(path: "/etc/ssh/ssh_host_ed25519_key.pub", contents: "ssh-ed25519 AAAA root@web-01\n"))
        #expect(try root.read("/etc/ssh/ssh_host_ed25519_key.pub") == "ssh-ed25519 AAAA root@web-01\n")
        #expect(try root.read("/etc/ssh/ssh_host_rsa_key.pub") == nil)
        #expect(try root.read("/nowhere/at/all") == nil)
        let secret = directory.appendingPathComponent("shadow")
        try Data("root:secret\n".utf8).write(to: secret)
        let planted = paths.rootfs(of: name) + "/etc/ssh/ssh_host_ecdsa_key.pub"
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: secret.path)
        #expect(throws: KennelError.self) { try root.read("/etc/ssh/ssh_host_ecdsa_key.pub") }
        #expect(throws: KennelError.self) { try root.read("/etc/../etc/hostname") }
        #expect(throws: KennelError.self) { try root.read("/etc/ssh/ssh_host_ed25519_key.pub", limit: 8) }
    }

    @Test("a machine made before volumes is recognised by its image marker; remove deletes the folder, twice safely")
    func legacyAndRemove() throws {
        let (directory, paths) = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = MachineFolder(paths: paths)
        #expect(!folder.hasDirectoryRootfs(name))
        try Data("abc".utf8).write(to: URL(fileURLWithPath: paths.directory(of: name) + "/image.sha256"))
        #expect(folder.hasDirectoryRootfs(name))
        try folder.remove(name)
        try folder.remove(name)
        #expect(!FileManager.default.fileExists(atPath: paths.directory(of: name)))
    }

    @Test("a failing command is a host_failure naming the command")
    func failingCommand() async {
        await #expect {
            _ = try await LocalCommandRunner().run("tar", ["--extract", "--file", "/nonexistent/image.tar.gz"])
        } throws: { error in
            (error as? KennelError)?.code == .hostFailure
                && (error as? KennelError)?.message.hasPrefix("tar --extract --file failed (exit status 2)") == true
        }
    }
}

@Suite("Host keys as published")
struct HostKeyPublishingTests {
    @Test("the public halves are read without their comments, and an older node's {} answer reads as 'not said'")
    func publicKeys() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-hostkeys-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = GuestRoot(path: directory.path)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try root.write(GuestFile(path: "/etc/ssh/ssh_host_ed25519_key.pub", contents: TestKeys.ed25519 + "\n"))
        let keys = try HostKeys(runner: RecordingRunner()).publicKeys(in: directory.path)
        #expect(keys.map(\.description) == [TestKeys.ed25519.split(separator: " ").prefix(2).joined(separator: " ")])
        #expect(try JSONDecoder().decode(IdentityWritten.self, from: Data("{}".utf8)).hostKeys == nil)
    }
}
