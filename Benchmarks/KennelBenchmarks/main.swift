// kennel-bench: prints performance figures. Run: swift run -c release kennel-bench [ipam] [placement] [reconcile] [metrics] [import] [console]
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let suites = arguments.isEmpty ? ["ipam", "placement"] : arguments
for suite in suites {
    switch suite {
    case "ipam": try await IPAMBenchmarks.run()
    case "placement": try await PlacementBenchmarks.run()
    case "reconcile": try await ReconcileBenchmarks.run()
    case "metrics": try await MetricsBenchmarks.run()
    case "import": try await ImportBenchmarks.run()
    case "console": try await ConsoleBenchmarks.run()
    default:
        FileHandle.standardError.write(Data("unknown benchmark suite '\(suite)'; known: ipam, placement, reconcile, metrics, import, console\n".utf8))
        exit(64)
    }
}
