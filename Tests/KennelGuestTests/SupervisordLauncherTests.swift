import Foundation
@testable import KennelGuest
import Testing

/// Runs Kennel's supervisord launcher with python3 against a stand-in `supervisor`
/// package (the real one lives only in the image; the end-to-end suite runs it there).
@Suite("The supervisord launcher", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
struct SupervisordLauncherTests {
    /// A `supervisor` package shaped like 4.2's: `options` imports pkg_resources at the top
    /// and resolves specs through it; `supervisord.main` resolves the RPC interface spec
    /// and reports whether the real pkg_resources was loaded. `pkg_resources` writes a mark
    /// when it is really imported.
    private func fakePackages(in directory: URL, importSpec: Bool = true) throws {
        let supervisor = directory.appendingPathComponent("supervisor")
        try FileManager.default.createDirectory(at: supervisor, withIntermediateDirectories: true)
        let resources = directory.appendingPathComponent("pkg_resources")
        try FileManager.default.createDirectory(at: resources, withIntermediateDirectories: true)
        let files: [(URL, String)] = [
            (supervisor.appendingPathComponent("__init__.py"), ""),
            (
                supervisor.appendingPathComponent("options.py"),
                importSpec
                    ? """
                    import pkg_resources
                    class Options:
                        def import_spec(self, spec):
                            return pkg_resources.EntryPoint.parse("x=" + spec).resolve()
                    """
                    : "import pkg_resources\nclass Options:\n    pass\n"
            ),
            (
                supervisor.appendingPathComponent("supervisord.py"),
                """
                import sys
                from supervisor import options
                def main():
                    factory = options.Options().import_spec("os.path:join")
                    import pkg_resources
                    loaded = "real" if "LOADED" in vars(sys.modules["pkg_resources"]) else "stand-in"
                    print(factory("a", "b"), loaded, sys.argv[1:])
                    late = pkg_resources.LOADED
                    print("after use:", late)
                    return 0
                """
            ),
            (resources.appendingPathComponent("__init__.py"), "LOADED = 'yes'\n"),
        ]
        for (url, text) in files { try Data(text.utf8).write(to: url) }
    }

    private func runLauncher(packages: URL) throws -> (status: Int32, output: String) {
        let launcher = packages.appendingPathComponent("launcher.py")
        try Data(GuestInit.supervisordLauncher.utf8).write(to: launcher)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [launcher.path, "--nodaemon"]
        process.environment = ["PYTHONPATH": packages.path, "PYTHONDONTWRITEBYTECODE": "1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-launcher-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("specs resolve without loading pkg_resources; a later use of it loads the real module")
    func resolvesSpecsWithoutPkgResources() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try fakePackages(in: directory)
        let (status, output) = try runLauncher(packages: directory)
        #expect(status == 0, "\(output)")
        #expect(output.contains("a/b stand-in ['--nodaemon']"), "\(output)")
        #expect(output.contains("after use: yes"), "\(output)")
    }

    @Test("a supervisor without Options.import_spec falls back to the stock supervisord")
    func fallsBack() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try fakePackages(in: directory, importSpec: false)
        let (status, output) = try runLauncher(packages: directory)
        #expect(output.contains("kennel: starting the stock supervisord (supervisor has no Options.import_spec)"), "\(output)")
        // The stock /usr/bin/supervisord is not on this host: the exec fails, loudly.
        if !FileManager.default.fileExists(atPath: "/usr/bin/supervisord") { #expect(status != 0) }
    }

    @Test("kennel-init starts supervisord through the launcher, which keeps the name supervisord")
    func initUsesLauncher() {
        #expect(GuestInit.initScript.contains("exec \(GuestInit.supervisordPath) --nodaemon"))
        #expect(GuestInit.supervisordPath.hasSuffix("/supervisord"))
        #expect(GuestInit.files.contains { $0.path == GuestInit.supervisordPath && $0.mode == 0o755 })
        #expect(GuestInit.supervisordLauncher.hasPrefix("#!/usr/bin/python3\n"))
    }
}
