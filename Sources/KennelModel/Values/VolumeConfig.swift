/// Where a host keeps its machines' root filesystem volumes, written as text in the site
/// file, the host API and the CLI:
///
/// - `loopfile` or `loopfile:/DIR`: one XFS image file per machine in DIR (default
///   `/var/lib/kennel/volumes`), a reflink clone of the image's file, attached as a loop
///   device;
/// - `lvm:VG/THINPOOL`: a thin snapshot of the image's LV per machine;
/// - `lvm:VG`: thick LVs in VG, each filled with a copy of the image's LV.
public enum VolumeConfig: ParsableValue, Hashable, Codable {
    case loopfile(directory: String)
    case lvm(volumeGroup: String, thinPool: String?)

    /// Where loop-file volumes live unless the host says otherwise.
    public static let defaultDirectory = "/var/lib/kennel/volumes"

    /// What a host uses when its record names nothing.
    public static let standard = VolumeConfig.loopfile(directory: defaultDirectory)

    public init(parsing text: String) throws(InvalidValue) {
        let driver = text.prefix { $0 != ":" }
        let argument = text.count > driver.count ? String(text.dropFirst(driver.count + 1)) : nil
        switch driver {
        case "loopfile":
            guard let directory = argument else {
                self = .standard
                return
            }
            guard directory.hasPrefix("/"), directory.count > 1, !directory.split(separator: "/").contains(".."),
                directory.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-".contains($0)) })
            else {
                throw InvalidValue("loopfile:DIR needs an absolute directory of letters, digits and / . _ -, not '\(Echo.short(directory))'")
            }
            self = .loopfile(directory: directory.hasSuffix("/") ? String(directory.dropLast()) : directory)
        case "lvm":
            let parts = (argument ?? "").split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(parts.count), parts.allSatisfy(Self.isLVMName) else {
                throw InvalidValue("write lvm:VG or lvm:VG/THINPOOL with LVM names (letters, digits, + _ . -), not '\(Echo.short(text))'")
            }
            self = .lvm(volumeGroup: parts[0], thinPool: parts.count == 2 ? parts[1] : nil)
        default:
            throw InvalidValue("'\(Echo.short(text))' is not a volume driver; write loopfile, loopfile:/DIR, lvm:VG or lvm:VG/THINPOOL")
        }
    }

    /// LVM's own rule for VG and LV names, minus a leading '-' (it would read as an option).
    private static func isLVMName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.first != "-" && name != "." && name != ".."
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+_.-".contains($0)) }
    }

    /// The driver's name: `loopfile` or `lvm`.
    public var driver: String {
        switch self {
        case .loopfile: "loopfile"
        case .lvm: "lvm"
        }
    }

    public var description: String {
        switch self {
        case .loopfile(let directory): "loopfile:\(directory)"
        case .lvm(let group, let pool): "lvm:\(group)" + (pool.map { "/\($0)" } ?? "")
        }
    }

    /// Reads the text form, or the object form of site files:
    /// `{"driver": "loopfile", "dir": "/DIR"}` or `{"driver": "lvm", "vg": "VG", "thin_pool": "POOL"}`.
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.singleValueContainer(), (try? container.decode(String.self)) != nil {
            self = try Self.decodeParsing(from: decoder)
            return
        }
        let object = try decoder.container(keyedBy: ObjectKey.self)
        let driver = try object.decode(String.self, forKey: .driver)
        var text = driver
        switch driver {
        case "loopfile":
            if let directory = try object.decodeIfPresent(String.self, forKey: .dir) { text += ":\(directory)" }
        case "lvm":
            text += ":" + (try object.decodeIfPresent(String.self, forKey: .vg) ?? "")
            if let pool = try object.decodeIfPresent(String.self, forKey: .thinPool) { text += "/\(pool)" }
        default: break
        }
        do {
            self = try VolumeConfig(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .driver, in: object, debugDescription: error.reason)
        }
    }

    private enum ObjectKey: String, CodingKey {
        case driver, dir, vg
        case thinPool = "thin_pool"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
