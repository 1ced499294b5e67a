/// Facts read back from the XML of a running domain.
enum LiveDomainXML {
    /// The host-side device of the domain's first network interface (`vnet0`), which
    /// libvirt names at start and writes as `<target dev='…'/>` inside `<interface>`.
    static func hostInterface(in xml: String) -> String? {
        guard let interface = xml.range(of: "<interface "),
            let end = xml.range(of: "</interface>", range: interface.upperBound..<xml.endIndex),
            let target = xml.range(of: "<target dev=", range: interface.upperBound..<end.lowerBound)
        else { return nil }
        let rest = xml[target.upperBound...]
        guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
        let name = rest.dropFirst().prefix { $0 != quote }
        return name.isEmpty ? nil : String(name)
    }
}
