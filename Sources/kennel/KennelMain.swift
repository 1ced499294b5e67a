import Foundation
import KennelCLI

/// The `kennel` executable: everything lives in KennelCLI.
@main
enum KennelMain {
    static func main() async {
        exit(await KennelCommand.runCommandLine())
    }
}
