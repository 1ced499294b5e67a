import KennelModel

/// Where imported machines came from: the source id of the inventory row each was made
/// from (gone with the machine).
public protocol ImportRecords {
    /// Every imported machine's source id, by source id.
    func machineSources() throws -> [String: Hostname]
    /// Records (or replaces) the source id of `machine`; an id another machine has is `conflict`.
    func setSource(_ sourceID: String, of machine: Hostname) throws
}
