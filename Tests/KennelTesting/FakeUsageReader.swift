import KennelControl
import KennelModel

/// Answers made-up usage for every machine it is asked about (CPU seconds = its count
/// of reads), except on hosts it hangs on, which never answer.
public actor FakeUsageReader: UsageReader {
    private let hanging: Set<Hostname>
    public private(set) var reads = 0
    public private(set) var diskReads = 0

    public init(hanging: Set<Hostname> = []) {
        self.hanging = hanging
    }

    public func counters(of machines: [Machine], on host: ComputeHost) async throws -> [Hostname: MachineUsage] {
        if hanging.contains(host.name) {
            try await Task.sleep(for: .seconds(3600))
        }
        reads += 1
        var usage: [Hostname: MachineUsage] = [:]
        for machine in machines {
            usage[machine.name] = MachineUsage(cpuSeconds: 1.5, memoryBytes: 64 << 20, receivedBytes: 1000, sentBytes: 2000)
        }
        return usage
    }

    public func diskUsed(by machines: [Machine], on host: ComputeHost) async throws -> [Hostname: UInt64] {
        diskReads += 1
        return Dictionary(uniqueKeysWithValues: machines.map { ($0.name, UInt64(300 << 20)) })
    }
}
