import KennelModel

/// Where imported machines came from: the source id of the inventory row each was made
/// from (gone with the machine).
public protocol ImportRecords {
    /// Every imported machine's source id, by source id.
    func machineSources() throws -> [String: Hostname]
    /// Records (or replaces) the source id of `machine`; an id another machine has is `conflict`.
    func setSource(_ sourceID: String, of machine: Hostname) throws
    /// Changes who a machine belongs to (a changed row of a re-run import).
    func setOwnership(team: Hostname?, service: Label?, owner: Label?, of machine: Hostname) throws
    /// Runs `body` in a savepoint: if it throws, what it wrote is undone (the rest of the
    /// transaction stays) and the error is rethrown. An import with `partial` applies
    /// each row this way.
    func savepoint<Result>(_ body: () throws -> Result) throws -> Result
}
