import Testing

@testable import KennelHost

struct ExecutableSearchTests {
    static let installed: Set<String> = ["/usr/bin/ovs-vsctl", "/usr/sbin/tc", "/usr/local/bin/tc", "/opt/bin/losetup"]

    @Test(
        arguments: [
            // name, PATH, found
            ("ovs-vsctl", "/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "/usr/bin/ovs-vsctl"),
            ("tc", "/usr/local/bin:/usr/sbin", "/usr/local/bin/tc"),  // the first directory wins
            ("tc", "/usr/sbin:/usr/local/bin", "/usr/sbin/tc"),
            ("losetup", "/opt/bin/", "/opt/bin/losetup"),  // a trailing slash
            ("losetup", "bin:.::/opt/bin", "/opt/bin/losetup"),  // relative and empty directories skipped
            ("tc", nil, "/usr/local/bin/tc"),  // no PATH: the default one (/usr/local/bin first)
        ] as [(String, String?, String)])
    func findsTheFirstExecutableOnThePath(name: String, path: String?, found: String) {
        #expect(ExecutableSearch.resolve(name, path: path, isExecutable: Self.installed.contains) == found)
    }

    @Test(
        arguments: [
            ("nowhere", "/usr/bin:/usr/sbin"),
            ("losetup", "bin:."),  // only relative directories
            ("bin/ovs-vsctl", "/usr"),  // a name with a slash is not searched
            ("", "/usr/bin"),
        ] as [(String, String?)])
    func findsNothingOtherwise(name: String, path: String?) {
        #expect(ExecutableSearch.resolve(name, path: path, isExecutable: Self.installed.contains) == nil)
    }

    @Test func resolvesARealCommandToAnAbsoluteExecutable() {
        let found = ExecutableSearch.resolve("sh")
        #expect(found?.hasPrefix("/") == true)
        #expect(found?.hasSuffix("/sh") == true)
        #expect(ExecutableSearch.resolve("kennel-no-such-command") == nil)
    }
}
