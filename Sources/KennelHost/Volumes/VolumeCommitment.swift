import KennelModel

/// What a volume store has promised against what it holds. Volumes are thin (sparse clones
/// of a template, thin snapshots), so the store could promise more than it has; then one
/// machine filling its own disk would fill the store, and every neighbour's next write
/// would fail (I/O errors, XFS shut down) instead of only its own (ENOSPC inside).
/// Kennel never overcommits: the sizes of every volume and template in a store add up to
/// at most its size less a reserve for the store's own metadata (reflink and allocation
/// btrees, logs), so each machine can always fill its disk and no further.
struct VolumeCommitment: Sendable, Equatable {
    /// The store's usable size: the pool filesystem's size, or the thin pool's.
    let storeBytes: UInt64
    /// The sizes of its volumes and templates (in-flight clones included).
    let committedBytes: UInt64
    /// Whether the store keeps a reserve for its own metadata (a thick volume group has
    /// none to keep: what its LVs take is all it gives).
    var keepsReserve = true

    /// Kept back for the store itself: 2 % of it, at least 64 MiB.
    var reserveBytes: UInt64 { keepsReserve ? min(storeBytes, max(storeBytes / 50, 64 << 20)) : 0 }

    /// What can still be promised.
    var uncommittedBytes: UInt64 {
        let limit = storeBytes - reserveBytes
        return limit > committedBytes ? limit - committedBytes : 0
    }

    /// Throws `no_capacity` naming `disk` and the space left when `additional` more bytes
    /// (a new volume, or what a grow adds) do not fit; `store` names the store, `purpose`
    /// what the bytes are for (`a 10G volume`, `growing by 2G`).
    func admit(_ additional: UInt64, store: String, purpose: String) throws {
        guard additional > uncommittedBytes else { return }
        throw KennelError(
            .noCapacity,
            "\(store) holds \(Self.size(storeBytes)) and has promised \(Self.size(committedBytes)) to its volumes and templates; "
                + "\(Self.size(uncommittedBytes)) is left, so \(purpose) does not fit (volumes are never promised more than the store holds)",
            field: "disk")
    }

    /// In GiB with one decimal (`55.6G`), rounded down; below 1 GiB in whole MiB.
    static func size(_ bytes: UInt64) -> String {
        guard bytes >= 1 << 30 else { return "\(bytes >> 20)M" }
        let tenths = (bytes >> 20) * 10 / 1024
        return "\(tenths / 10).\(tenths % 10)G"
    }
}
