import Foundation
import GRDB
import KennelModel

/// Reads typed values back from rows, never trapping: a value that does not decode or
/// no longer parses means the file was edited by hand or corrupted, and is reported with
/// its column rather than trusted.
extension Row {
    /// Parses a TEXT or INTEGER column into a Kennel value type.
    func parsed<Value: ParsableValue>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard let value = try parsedIfPresent(column, as: type) else {
            throw KennelError(.internal, "stored \(column) is missing")
        }
        return value
    }

    /// Like `parsed`, but NULL gives nil.
    func parsedIfPresent<Value: ParsableValue>(_ column: String, as type: Value.Type = Value.self) throws -> Value? {
        let raw = self[column]
        let text: String
        switch raw {
        case nil: return nil
        case let string as String: text = string
        case let number as Int64: text = String(number)
        default: throw KennelError(.internal, "stored \(column) has an unexpected type")
        }
        do {
            return try Value(parsing: text)
        } catch {
            throw KennelError(.internal, "stored \(column) '\(text)' is invalid: \(error.reason)")
        }
    }

    /// Decodes a column, wrapping GRDB's error in Kennel's.
    func decode<Value: DatabaseValueConvertible>(_ type: Value.Type, _ column: String) throws -> Value {
        do {
            return try decode(type, forColumn: column)
        } catch {
            throw KennelError(.internal, "stored \(column) does not decode as \(Value.self): \(error)")
        }
    }

    func address(_ column: String) throws -> IPv4Address {
        IPv4Address(UInt32(truncatingIfNeeded: try decode(Int64.self, column)))
    }

    func bytes(_ column: String) throws -> ByteSize {
        ByteSize(bytes: UInt64(clamping: try decode(Int64.self, column)))
    }
}

extension Database {
    /// Runs one statement through the connection's statement cache: parsed and checked
    /// once per connection, not on every call — an import writes 100,000 machines with
    /// the same few statements.
    func execute(cached sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
