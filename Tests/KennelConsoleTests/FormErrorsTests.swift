import KennelModel
import Testing

@testable import KennelConsole

@Suite struct FormErrorsTests {
    /// A form of three fields: `a` required, `b` and `c` numbers.
    static func build(_ pairs: [(name: String, value: String)]) throws(KennelError) -> [String: Int] {
        var values: [String: Int] = [:]
        guard let a = pairs.first(where: { $0.name == "a" }) else { throw KennelError.missing("a") }
        guard let number = Int(a.value) else { throw KennelError.invalid("a", "not a number") }
        values["a"] = number
        for name in ["b", "c"] {
            guard let pair = pairs.first(where: { $0.name == name }) else { continue }
            guard let number = Int(pair.value) else { throw KennelError.invalid(name, "not a number") }
            values[name] = number
        }
        if pairs.contains(where: { $0.name == "z" }) { throw KennelError(.badRequest, "no field named") }
        return values
    }

    @Test func everyBadFieldIsFoundNotOnlyTheFirst() {
        let result = FormErrors.collect([("a", "x"), ("b", "y"), ("c", "3")], shown: ["a", "b", "c"], placeholders: ["a": "1"], Self.build)
        guard case .failure(let errors) = result else {
            Issue.record("expected errors")
            return
        }
        #expect(errors.fields == ["a": "a: not a number", "b": "b: not a number"])
        #expect(errors.general.isEmpty)
    }

    @Test func aMissingRequiredFieldDoesNotHideTheOthers() {
        guard case .failure(let errors) = FormErrors.collect([("b", "y")], shown: ["a", "b"], placeholders: ["a": "1"], Self.build) else {
            Issue.record("expected errors")
            return
        }
        #expect(errors.fields == ["a": "a is required", "b": "b: not a number"])
        guard case .failure(let without) = FormErrors.collect([("b", "y")], shown: ["a", "b"], Self.build) else { return }
        #expect(without.fields == ["a": "a is required"])
    }

    @Test func aGoodFormIsItsValueAndAnErrorWithoutFieldIsGeneral() {
        guard case .success(let values) = FormErrors.collect([("a", "1"), ("c", "3")], shown: ["a", "c"], Self.build) else {
            Issue.record("expected a value")
            return
        }
        #expect(values == ["a": 1, "c": 3])
        guard case .failure(let errors) = FormErrors.collect([("a", "1"), ("z", "")], shown: ["a"], Self.build) else { return }
        #expect(errors.general == ["no field named"])
        #expect(errors.fields.isEmpty)
    }
}
