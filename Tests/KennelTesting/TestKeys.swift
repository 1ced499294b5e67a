/// Real OpenSSH public keys (made with `ssh-keygen`, private halves discarded) and their
/// fingerprints as `ssh-keygen -l` printed them, for key validation tests.
public enum TestKeys {
    public static let ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA/3/FuE8xs5/gURd+eofSJWvGZGXYkJ7PHfLpP1lSC+ alice@laptop"
    public static let otherEd25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN6WflZ4MySkoAE5Z5HtF8F2dXEFBCuQ+kDFSWaME7S5 bob"
    public static let ecdsa256 =
        "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBN/q8DsXCn7pcVgtRkKR32Gldd8DiZufL1VlNVWZl/iQOwkkSjNq3SaoRZ1RaMbHeiM9Z7ZZJvTJNN+1RTIoQDk= e256"
    public static let ecdsa384 =
        "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBOAYHW8bdxx+eHwFE9uDNd2q7fQ+bAASFRrI8KsL1jRCbrw41c4janWk97WfY5rLmtNuGpzfcyaE1N6PW48phxB5BQ+wqITF5j44PcmSL4fQ0byTXvtKeUPxii4jgzg5zA== e384"
    public static let ecdsa521 =
        "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAD7AgaYpukKd7u0Apnj+XV95sz/1RSpje9nyszYfXyv2qVHS+kqu1sXKYJH+lpjvD1wN5KaTv+SFwS3lkwOip8dagH8A7SJThwiOF7H2l2kEPiAO9a0hiEDJi1OvZifWnETSPMho/rUqPs8WBTZESPGhMyKoekkzpx9lsqZ+tDqVGPlwA== e521"
    public static let rsa3072 =
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC7Zi0EqEdh7llWbaOAhN4jFlK4/lqRAnO1lACjRjR4wtuo2cdVP8HJ4IHhN8MRQM5dniK1IWI//tZsIG77cSShHlmrOnqCa2SEDAGnX0Gl1CPQFKdoh2iookhTEbBTowKQzpn0sk7FdnLNRXIcMntPi+z4sWNRN3qnLJ7VqabVz8qU8ZgG9WXSE0ACdVGErVWgLDoh/twkU4qEjx8lL9/xbIe/pXQ85j0D2bBTB93EiOLuoqXd2UFBzT0gNLnmOxjyRCEIRORqmAPpRxlOPehMr0zVLvNe7nu67RdpP/RzKVxBNWXUuguUhY+lDC0A9ImWzcKWEQKIluqQkJUVRJqve36Gjp8ihCfxQx96kjhfJZXcuUBmtJkPgZhHuQwRq6T5HBJP0vk29G/CVoliZMN+BSfRCVXeRRjQEFNsxBwIYQ79J+J1uqBSKwRkUWXfvcmlcOiUIDzwUFbbWO/glpUtKE/BHmRmrUyjhMxYtLgFGzbKJSt0x3ez+1XkyZNjHq0= r3072"
    public static let rsa2048 =
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCkGl0T3t2qdkLyup1LKx472slvrNShw7yuw/Z/ykh5G6sXp0rFSbcXyIJY5FDgusG6rrquLNaw3ZeCZQYdVzWIl76R0NwnP/HVoYSPyF+O+f4N5at+uL1qJ4MVvpkVSJFsI4N1E7LBOtYopAZ+Yo6QzZ8WwYzGgiNRoCNGYvB3Q0AUj8pAiNj4qW9r2/rAULCXFTCS5UF0KKwtrcsSKBu52G1G1embMhiNK7P3C0QUCcleT3x4pY4BPHMu+TUbVIdig9e4B5uzIbRoQQ4q19DjFM0Txi7tdsbg5Ta656x+KLREkHp8kKd+Psihc+BC28f2vTSG0ZTug8fGOVAhBXX5 r2048"
    public static let ed25519Fingerprint = "SHA256:FNnxnxhCAuQOw77g9i8F9ROZi864VZt9GlQ7UXAlrTY"
    public static let otherEd25519Fingerprint = "SHA256:2oeB+jHy19UwX4sxk0fywEjje40bZiKHGAhQoMHYmwo"
    public static let ecdsa256Fingerprint = "SHA256:N7/L9KPBaPMXqNURP9fRw/oaTe9b1u11aVqmeI7xvfc"
    public static let rsa3072Fingerprint = "SHA256:dCrvdWbdTDO9WYrcA2hIyLi+v3xaCnGeH80wEGHlfhs"
}
