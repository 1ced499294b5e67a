import ArgumentParser
import KennelModel

/// Parses an option straight into a Kennel value type, keeping the type's own message.
func parsed<Value: ParsableValue>(_ type: Value.Type) -> @Sendable (String) throws -> Value {
    { text in
        do throws(InvalidValue) {
            return try Value(parsing: text)
        } catch {
            throw ValidationError(error.reason)
        }
    }
}
