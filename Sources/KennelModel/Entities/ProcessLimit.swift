/// The most tasks (processes and threads together) a machine may have at once: one per
/// 128 KiB of its memory and at least 1,024 (4,096 for 512 MiB) — about what a VM of that
/// size could run before its own kernel ran out of memory. The host enforces it with the
/// `pids` cgroup and keeps it under a quarter of the tasks the host itself can hold (the
/// lower of `kernel.pid_max` and `kernel.threads-max`), so root in one machine cannot fill
/// the host's process table and stop every other process on the host from starting. It follows the memory: a live memory change changes it too.
public enum ProcessLimit {
    /// Memory per task.
    public static let bytesPerTask: UInt64 = 128 << 10
    /// The least any machine gets, however small its memory.
    public static let minimum = 1024

    /// The limit for a machine with `memory`.
    public static func tasks(forMemory memory: ByteSize) -> Int {
        max(minimum, Int(clamping: memory.bytes / bytesPerTask))
    }

    /// What a host that can hold `hostTasks` tasks in all gives a machine asking for
    /// `tasks`: never more than a quarter of them.
    public static func onHost(_ tasks: Int, hostTasks: Int) -> Int {
        max(1, min(tasks, hostTasks / 4))
    }
}

extension MachineSpec {
    /// The tasks this machine may have at once (`ProcessLimit`).
    public var processLimit: Int { ProcessLimit.tasks(forMemory: memory) }
}
