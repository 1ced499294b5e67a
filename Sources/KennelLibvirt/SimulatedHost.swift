import Foundation
import KennelModel

/// A host simulated by libvirt's test driver: an XML node description written to a file,
/// opened as `test:///that/file.xml`. Each connection to it is a fresh, empty host.
public enum SimulatedHost {
    /// Writes the node description for a host with `cpus` and `memory` into `directory`
    /// and returns the libvirt URI that opens it.
    public static func prepare(name: Hostname, cpus: Int, memory: ByteSize, in directory: URL) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("\(name).xml").standardizedFileURL
        let xml = """
            <node>
              <cpu>
                <mhz>2400</mhz><model>kennel-simulated</model>
                <active>\(cpus)</active><total>\(cpus)</total>
                <nodes>1</nodes><sockets>1</sockets><cores>\(cpus)</cores><threads>1</threads>
              </cpu>
              <memory>\(memory.kibibytes)</memory>
            </node>

            """
        try Data(xml.utf8).write(to: file, options: .atomic)
        return "test://\(file.path)"
    }
}
