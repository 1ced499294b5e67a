import Foundation
import KennelControl
import KennelModel

/// The host-facts driver, run by `kennel node call` on the host: argv commands and
/// file-system queries only.
struct HostFactsProbe: Sendable {
    let paths: HostPaths
    let runner: any CommandRunner

    func facts(bridge: String, volumes: VolumeConfig) async -> HostFacts {
        var facts = HostFacts()
        facts.kernel = try? await runner.run("uname", ["-r"]).trimmingCharacters(in: .whitespacesAndNewlines)
        if let datapath = try? await runner.run("ovs-vsctl", ["get", "bridge", bridge, "datapath_type"]) {
            let trimmed = datapath.trimmingCharacters(in: CharacterSet(charactersIn: "\"\n "))
            facts.ovsDatapath = trimmed.isEmpty ? "system" : trimmed
        }
        // Where machines' disks take their space: the loop files' directory, or (LVM) the
        // machines directory.
        let root: String
        switch volumes {
        case .loopfile(let directory): root = directory
        case .lvm: root = paths.machinesRoot
        }
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        facts.reflink = await reflinkWorks(in: root)
        if let attributes = try? FileManager.default.attributesOfFileSystem(forPath: root),
            let free = attributes[.systemFreeSize] as? NSNumber
        {
            facts.freeBytes = free.uint64Value
        }
        return facts
    }

    /// Whether `cp --reflink=always` clones a file in `directory`; nil when it cannot
    /// be tried (the directory is not writable).
    private func reflinkWorks(in directory: String) async -> Bool? {
        let probe = "\(directory)/.kennel-reflink-probe-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: probe, contents: Data("kennel".utf8)) else { return nil }
        defer {
            try? FileManager.default.removeItem(atPath: probe)
            try? FileManager.default.removeItem(atPath: probe + ".clone")
        }
        guard let result = try? await runner.execute("cp", ["--reflink=always", probe, probe + ".clone"], input: nil) else { return nil }
        return result.succeeded
    }
}
