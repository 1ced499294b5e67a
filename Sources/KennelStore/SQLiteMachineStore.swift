import Foundation
import GRDB
import KennelControl
import KennelModel

/// The SQLite store: a file in WAL mode in production, memory in tests.
///
/// Writes go through GRDB's single writer, so every `transaction` is serialisable;
/// uniqueness of machine names, addresses per pool and MACs is enforced by the schema.
public final class SQLiteMachineStore: MachineStore {
    private let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path` and migrates it.
    public convenience init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        try self.init(writer: DatabasePool(path: path, configuration: configuration))
    }

    /// A private, empty, migrated database in memory.
    public static func inMemory() throws -> SQLiteMachineStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        return try SQLiteMachineStore(writer: DatabaseQueue(configuration: configuration))
    }

    private init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try Migrations.migrator.migrate(writer)
    }

    /// The names of the migrations applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Migrations.migrator.appliedMigrations(db) }
    }

    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any StoreTransaction) throws -> Result
    ) async throws -> Result {
        do {
            return try await writer.write { db in try body(SQLiteTransaction(db)) }
        } catch let error as DatabaseError {
            throw StoreErrors.translate(error)
        }
    }

    public func snapshot<Result: Sendable>(
        _ body: @escaping @Sendable (any StoreTransaction) throws -> Result
    ) async throws -> Result {
        do {
            return try await writer.read { db in try body(SQLiteTransaction(db)) }
        } catch let error as DatabaseError {
            throw StoreErrors.translate(error)
        }
    }

    public func dryRun<Result: Sendable>(
        _ body: @escaping @Sendable (any StoreTransaction) throws -> Result
    ) async throws -> Result {
        do {
            return try await writer.writeWithoutTransaction { db in
                var result: Result?
                try db.inTransaction {
                    result = try body(SQLiteTransaction(db))
                    return .rollback
                }
                guard let result else { throw KennelError(.internal, "dry run produced nothing") }
                return result
            }
        } catch let error as DatabaseError {
            throw StoreErrors.translate(error)
        }
    }

    public func machines() async throws -> [Machine] {
        try await writer.read { db in try MachineRows.fetch(db) }
    }

    public func machine(named name: Hostname) async throws -> Machine? {
        try await writer.read { db in try MachineRows.fetch(db, name: name).first }
    }

    public func hosts() async throws -> [ComputeHost] {
        try await writer.read { db in try HostRows.fetch(db) }
    }

    public func host(named name: Hostname) async throws -> ComputeHost? {
        try await writer.read { db in try HostRows.fetch(db, name: name).first }
    }

    public func pools() async throws -> [Pool] {
        try await writer.read { db in try PoolRows.fetch(db) }
    }

    /// Runs a raw read, for tests and audits.
    public func read<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await writer.read(body)
    }

    /// Runs a raw write, for tests that play a hand-edited or tampered database.
    public func write<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await writer.write(body)
    }
}

/// Turns constraint violations that can happen under races into Kennel's errors, by
/// SQLite's extended result code and the exact columns of the violated constraint (as
/// SQLite names them: `UNIQUE constraint failed: lease.mac`), never by a substring of the
/// message. The codes match what the normal path answers, so a race and a plain
/// conflict look the same to a client.
enum StoreErrors {
    /// The unique constraints a request can run into, by their columns.
    static let uniqueConstraints: [[String]: KennelError] = [
        ["machine.name"]: KennelError(.nameTaken, "a machine with that name exists already", field: "name"),
        ["machine.uuid"]: KennelError(.conflict, "a machine with that UUID exists already"),
        ["lease.pool", "lease.address"]: KennelError(.ipInUse, "that address is leased already", field: "ip"),
        ["lease.mac"]: KennelError(.macInUse, "that MAC address is used by another machine", field: "mac"),
        ["user_key.fingerprint"]: KennelError(.conflict, "that key is registered already", field: "key"),
    ]

    static func translate(_ error: DatabaseError) -> any Error {
        guard error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY,
            let columns = violatedColumns(error.message), let mapped = uniqueConstraints[columns]
        else { return error }
        return mapped
    }

    /// `["lease.pool", "lease.address"]` from `UNIQUE constraint failed: lease.pool, lease.address`.
    static func violatedColumns(_ message: String?) -> [String]? {
        let prefix = "UNIQUE constraint failed: "
        guard let message, message.hasPrefix(prefix) else { return nil }
        return message.dropFirst(prefix.count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
