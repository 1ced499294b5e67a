import Foundation
import KennelControl
import KennelImport
import KennelModel
import KennelTesting

/// Planning a 100,000-row RVTools 4.x vInfo CSV (every standard column, as RVTools writes
/// them) against a site of 100 hosts with a /15 pool: reading alone, then the whole plan
/// (read, map, conflicts, inventory comparison, placement per group); then applying it
/// records only (plan again, then every machine placed, leased, written with its source
/// id and audit entry in one transaction, into a SQLite file as `kennel serve` keeps
/// it), and a re-run of the same file (0 changes); and the process's peak memory.
/// `KENNEL_BENCH_IMPORT_ROWS` sets the number of rows (default 100,000).
enum ImportBenchmarks {
    static func run(rows: Int = ProcessInfo.processInfo.environment["KENNEL_BENCH_IMPORT_ROWS"].flatMap(Int.init) ?? 100_000) async throws {
        print("Import benchmarks: an RVTools 4.x vInfo CSV of \(rows) rows")
        let csv = RVToolsSample.make(rows: rows)
        print("  file: \(csv.count / 1_048_576) MiB, \(RVToolsSample.header.count) columns")
        let file = SourceFile(name: "vInfo.csv", bytes: csv)
        var machines = 0
        let reading = await Stopwatch.time { machines = InventoryReader.read([file]).read.machines.count }
        Stopwatch.report("read (CSV → source machines)", operations: machines, seconds: reading)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kennel-bench-import-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let plane = try await BenchmarkPlanes.large(in: directory)
        let map = BenchmarkPlanes.rvtoolsMap
        var plan: ImportPlan?
        let planning = try await Stopwatch.time { plan = try await plane.services.imports.plan([file], map: map, by: .system) }
        Stopwatch.report("plan (read, map, compare, place per group)", operations: rows, seconds: planning)
        let totals = plan.map { plan in ImportPlan.Action.allCases.map { "\($0.rawValue) \(plan.totals[$0] ?? 0)" }.joined(separator: ", ") }
        print("  plan: \(totals ?? "none"); clean: \(plan?.isClean ?? false); peak memory so far \(peak)")
        plan = nil

        var outcome: ImportSummary?
        let applying = try await Stopwatch.time { outcome = try await apply(file, map: map, on: plane) }
        Stopwatch.report("apply records only (plan, then one transaction)", operations: rows, seconds: applying)
        let results = outcome.map { outcome in ImportOutcome.Result.allCases.map { "\($0.rawValue) \(outcome.totals[$0] ?? 0)" } }
        print(
            "  apply: \(results?.joined(separator: ", ") ?? "none"); machines now \(try await plane.rowCounts().machines); peak memory so far \(peak)"
        )
        outcome = nil
        let rerunning = try await Stopwatch.time { outcome = try await apply(file, map: map, on: plane) }
        Stopwatch.report("re-apply the same file", operations: rows, seconds: rerunning)
        print("  re-run: \(outcome?.changes ?? -1) changes")
        print("  peak memory (VmHWM): \(peak)")
    }

    private static func apply(_ file: SourceFile, map: SourceFile, on plane: TestControlPlane) async throws -> ImportSummary? {
        let handle = try await plane.services.imports.submitApply(
            [file], map: map, options: ImportApplyOptions(recordsOnly: true), by: .system)
        _ = try await handle.result()
        return try await plane.services.operations.operation(id: handle.id).result?.imported
    }

    private static var peak: String { peakMemoryMiB().map { "\($0) MiB" } ?? "unknown" }

    /// The process's peak resident memory, from /proc/self/status.
    static func peakMemoryMiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 / 1024 }
    }
}

/// A synthetic RVTools 4.x vInfo export: every standard column, one powered-on VM per row
/// with its own address, a template and a powered-off VM every thousand rows.
enum RVToolsSample {
    static let header = [
        "VM", "Powerstate", "Template", "SRM Placeholder", "Config status", "DNS Name", "Connection state", "Guest state", "Heartbeat",
        "Consolidation Needed", "PowerOn", "Suspended To Memory", "Suspend time", "Suspend Interval", "Creation date", "Change Version",
        "CPUs", "Overall Cpu Readiness", "Memory", "Active Memory", "NICs", "Disks", "Total disk capacity MiB", "Fixed Passthru HotPlug",
        "min Required EVC Mode Key", "Latency Sensitivity", "Op Notification Timeout", "EnableUUID", "CBT", "Primary IP Address",
        "Network #1", "Network #2", "Network #3", "Network #4", "Network #5", "Network #6", "Network #7", "Network #8", "Num Monitors",
        "Video Ram KiB", "Resource pool", "Folder ID", "Folder", "vApp", "DAS protection", "FT State", "FT Role", "FT Latency",
        "FT Bandwidth", "FT Secondary Latency", "Vm Failover In Progress", "Provisioned MiB", "In Use MiB", "Unshared MiB",
        "HA Restart Priority", "HA Isolation Response", "HA VM Monitoring", "Cluster rule(s)", "Cluster rule name(s)", "Boot Required",
        "Boot delay", "Boot retry delay", "Boot retry enabled", "Boot BIOS setup", "Reboot PowerOff", "EFI Secure boot", "Firmware",
        "HW version", "HW upgrade status", "HW upgrade policy", "HW target", "Path", "Log directory", "Snapshot directory",
        "Suspend directory", "Annotation", "Datacenter", "Cluster", "Host", "OS according to the configuration file",
        "OS according to the VMware Tools", "Customization Info", "Guest Detailed Data", "VM ID", "SMBIOS UUID", "VM UUID",
        "VI SDK Server type", "VI SDK API Version", "VI SDK Server", "VI SDK UUID", "Owner",
    ]

    /// `16,384`, as RVTools writes sizes.
    static func thousands(_ value: Int) -> String {
        value < 1000 ? "\(value)" : "\(value / 1000)," + String(format: "%03d", value % 1000)
    }

    static func make(rows: Int) -> [UInt8] {
        var bytes = Array((header.joined(separator: ",") + "\r\n").utf8)
        bytes.reserveCapacity(rows * 860)
        for n in 1...rows {
            let address = 0x0A40_0000 + UInt32(n) + 1
            let ip = "\(address >> 24).\((address >> 16) & 255).\((address >> 8) & 255).\(address & 255)"
            let template = n % 1000 == 0
            let power = n % 1000 == 500 ? "poweredOff" : "poweredOn"
            let name = n % 3 == 0 ? "VM_\(n).corp.example" : "vm-\(n)"
            let cells: [String] = [
                name, power, template ? "True" : "False", "False", "green", "\(name).corp.example", "connected", "running", "green",
                "False", "2024/01/01 00:00:00", "False", "1969/12/31 00:00:00", "0", "2021/06/01 12:00:00", "2021-06-01T12:00:00Z",
                "\(1 + n % 4)", "0", thousands((1 + n % 8) * 1024), "512", "1", "1",
                thousands(10_240 + (n % 5) * 10_240), "False", "", "normal", "", "True", "False", "\(ip), fe80::\(n % 65_535)",
                "VLAN64-Prod", "", "", "", "", "", "", "", "1", "8192", "Resources", "group-v1", "/DC1/vm", "", "True", "notConfigured", "",
                "", "", "", "False", "20480", "4096", "4096", "clusterRestartPriority", "clusterIsolationResponse", "vmMonitoringDisabled",
                "", "", "False", "0", "10000", "True", "False", "False", "False", "bios", "vmx-19", "none", "never", "",
                "[ds1] \(name)/\(name).vmx", "[ds1] \(name)/", "[ds1] \(name)/", "[ds1] \(name)/", "\"app: shop\nrow \(n)\"", "DC1",
                n % 2 == 0 ? "Prod-A" : "Prod-B", "esx\(n % 50).corp.example", "Debian GNU/Linux 11 (64-bit)",
                "Debian GNU/Linux 11 (64-bit)", "", "", "vm-\(n)", String(format: "4201%04x-0000-4000-8000-%012x", n % 65_535, n),
                String(format: "5001%04x-0000-4000-8000-%012x", n % 65_535, n), "VMware vCenter Server", "8.0.2", "vc01.corp.example",
                "vc-uuid-1", n % 7 == 0 ? "alice" : "",
            ]
            bytes += (cells.map { $0.contains(",") && !$0.hasPrefix("\"") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\r\n").utf8
        }
        return bytes
    }
}
