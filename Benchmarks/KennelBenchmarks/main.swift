// kennel-bench: prints performance figures. Run: swift run -c release kennel-bench [ipam]
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let suites = arguments.isEmpty ? ["ipam"] : arguments
for suite in suites {
    switch suite {
    case "ipam": try await IPAMBenchmarks.run()
    default:
        FileHandle.standardError.write(Data("unknown benchmark suite '\(suite)'; known: ipam\n".utf8))
        exit(64)
    }
}
