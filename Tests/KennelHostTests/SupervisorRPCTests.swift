import Foundation
@testable import KennelHost
import KennelModel
import Testing

@Suite("supervisord's XML-RPC answers, read on the host")
struct SupervisorRPCTests {
    /// What supervisor 4.2 answers to `getAllProcessInfo` (trimmed to the fields read, plus
    /// one it has that is not): a program, one that failed, and one of a group.
    static let response = """
        <?xml version='1.0'?>
        <methodResponse>
        <params>
        <param>
        <value><array><data>
        <value><struct>
        <member>
        <name>description</name>
        <value><string>pid 6, uptime 0:00:02</string></value>
        </member>
        <member>
        <name>pid</name>
        <value><int>6</int></value>
        </member>
        <member>
        <name>name</name>
        <value><string>cron</string></value>
        </member>
        <member>
        <name>group</name>
        <value><string>cron</string></value>
        </member>
        <member>
        <name>statename</name>
        <value><string>RUNNING</string></value>
        </member>
        </struct></value>
        <value><struct>
        <member><name>name</name><value><string>sshd</string></value></member>
        <member><name>group</name><value><string>sshd</string></value></member>
        <member><name>statename</name><value><string>FATAL</string></value></member>
        <member><name>description</name><value><string>Exited too quickly (process log may have details)</string></value></member>
        </struct></value>
        <value><struct>
        <member><name>name</name><value>app-0</value></member>
        <member><name>group</name><value><string>web</string></value></member>
        <member><name>statename</name><value><string>STARTING</string></value></member>
        <member><name>description</name><value><string></string></value></member>
        </struct></value>
        </data></array></value>
        </param>
        </params>
        </methodResponse>
        """

    @Test("programs, their states and details; a group's program is named group:name, as supervisorctl names it")
    func programs() throws {
        #expect(
            SupervisorRPC.parse(Self.response) == [
                ProgramStatus(name: "cron", state: "RUNNING", detail: "pid 6, uptime 0:00:02"),
                ProgramStatus(name: "sshd", state: "FATAL", detail: "Exited too quickly (process log may have details)"),
                ProgramStatus(name: "web:app-0", state: "STARTING", detail: ""),
            ])
    }

    @Test(
        "a fault, an empty list, a declaration or something that is not XML-RPC gives no programs",
        arguments: [
            (
                "<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member><member><name>faultString</name><value><string>UNKNOWN_METHOD</string></value></member></struct></value></fault></methodResponse>",
                nil
            ),
            ("<?xml version='1.0'?><methodResponse><params><param><value><array><data></data></array></value></param></params></methodResponse>", []),
            ("<html><body>401 Unauthorized</body></html>", []),
            ("not xml <<", nil),
            // A guest's answer with entities (a billion laughs) is not parsed at all.
            (
                "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><methodResponse><params><param><value><array><data><value><struct><member><name>name</name><value>&b;</value></member><member><name>statename</name><value>RUNNING</value></member></struct></value></data></array></value></param></params></methodResponse>",
                nil
            ),
        ] as [(String, [ProgramStatus]?)])
    func refusals(xml: String, expected: [ProgramStatus]?) {
        #expect(SupervisorRPC.parse(xml) == expected)
    }

    @Test("the guest's file turns the server on at the loopback port with the password's SHA-1, readable by root only")
    func serverFile() {
        let file = SupervisorRPC.serverFile(secret: "thepassword")
        #expect(file.path == "/etc/supervisor/conf.d/00-kennel-status.conf" && file.mode == 0o600)
        // supervisor's own documented example: {SHA}82ab876d… is "thepassword".
        #expect(file.contents.contains("password={SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d\n"))
        #expect(file.contents.contains("port=127.0.0.1:61999\n") && file.contents.contains("username=kennel\n"))
    }
}
