import Foundation

/// Finds a command named without a slash on `PATH`, as a shell would, before it is started.
///
/// swift-subprocess, given a bare name, tries each `PATH` directory by starting a process
/// there (a fork of this whole process each time) until one runs: `ovs-vsctl` cost eight
/// forks on a `PATH` with seven directories before `/usr/bin`. Looking first costs one
/// `access(2)` per directory and leaves one fork per command.
enum ExecutableSearch {
    /// Searched when the environment has no `PATH` (what `login` gives root on Debian).
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The first `directory/name` on `path` that `isExecutable` accepts, or nil. Empty and
    /// relative directories are skipped: a command never runs from the working directory.
    static func resolve(_ name: String, path: String?, isExecutable: (String) -> Bool) -> String? {
        guard !name.isEmpty, !name.contains("/") else { return nil }
        let directories = (path ?? defaultPath).split(separator: ":").filter { $0.hasPrefix("/") }
        for directory in directories {
            let candidate = directory.hasSuffix("/") ? "\(directory)\(name)" : "\(directory)/\(name)"
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }

    /// `resolve` on this process's `PATH` and file system.
    static func resolve(_ name: String) -> String? {
        resolve(name, path: ProcessInfo.processInfo.environment["PATH"]) { candidate in
            var status = stat()
            return access(candidate, X_OK) == 0 && stat(candidate, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        }
    }
}
