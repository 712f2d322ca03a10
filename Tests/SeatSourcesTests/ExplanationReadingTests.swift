import Foundation
import SeatSources
import TestSupport
import Testing

/// What readers keep for `explain` with `SourceSettings.keepsExplanations`, and that a pass keeps none of it.
@Suite struct ExplanationReadingTests {
    @Test func disabledADMemberIsKeptAsSkippedOnlyWhenExplaining() throws {
        // Input: the ldifde export, whose Editors group (line 86) holds otimer, disabled (userAccountControl 514).
        // Expected: explaining, otimer is skipped as disabled at the Editors group; on a pass, nothing is kept.
        let path = try ldifFixture("ad-ldifde.ldif")
        let options = LDIFOptions(
            customer: .rdn("OU"),
            groups: ["editors": "editor", "viewers": "viewer"],
            userIDAttribute: "sAMAccountName"
        )
        var settings = SourceSettings(name: "directory", path: path)
        #expect(try LDIFSource(settings: settings, options: options).read(now: Date()).skippedUsers.isEmpty)
        settings.keepsExplanations = true
        let reading = try LDIFSource(settings: settings, options: options).read(now: Date())
        let editors = "CN=Editors,OU=Acme,OU=Customers,DC=corp,DC=example,DC=com"
        #expect(
            reading.skippedUsers == [
                "Acme": [
                    SkippedUser(id: "otimer", at: Provenance(file: path, line: 86, detail: editors), reason: .disabled)
                ]
            ]
        )
    }

    @Test func nestedGroupGrantNamesItsPathOnlyWhenExplaining() throws {
        // Input: the FreeIPA export, where cho is in editors-emea-contractors, nested in editors-emea, nested in
        // the mapped editors. Expected: explaining, cho's grant detail is that path; on a pass, editors' DN alone.
        let path = try ldifFixture("freeipa-nested.ldif")
        let options = LDIFOptions(customer: .attribute("businessCategory"), groups: ["editors": "editor"])
        var settings = SourceSettings(name: "ipa", path: path)
        let groups = ",cn=groups,cn=accounts,dc=ipa,dc=example,dc=com"
        let plain = try LDIFSource(settings: settings, options: options).read(now: Date())
        #expect(plain.customers["umbrella"]?.users["cho"]?.grants.first?.at.detail == "cn=editors\(groups)")
        settings.keepsExplanations = true
        let explained = try LDIFSource(settings: settings, options: options).read(now: Date())
        #expect(
            explained.customers["umbrella"]?.users["cho"]?.grants.first?.at.detail
                == "cn=editors-emea-contractors\(groups) -> cn=editors-emea\(groups) -> cn=editors\(groups)"
        )
    }

    @Test func csvRowWithNoMappedRoleIsKeptAsSkippedOnlyWhenExplaining() throws {
        // Input: a CSV whose line 3 has role Contractor, which the mapping does not name. Expected: explaining,
        // that row is a skipped user with the role as written; on a pass, nothing is kept.
        let dir = try TemporaryDirectory()
        let path = try dir.write("users.csv", "customer,email,role\nacme,a@x,Editor\nacme,b@x, Contractor \n")
        let options = CSVOptions(
            columns: .users(customer: "customer", user: "email", role: "role"),
            roles: ["Editor": "editor"]
        )
        var settings = SourceSettings(name: "hr", path: path)
        #expect(try CSVSource(settings: settings, options: options).read(now: Date()).skippedUsers.isEmpty)
        settings.keepsExplanations = true
        let reading = try CSVSource(settings: settings, options: options).read(now: Date())
        #expect(
            reading.skippedUsers == [
                "acme": [
                    SkippedUser(id: "b@x", at: Provenance(file: path, line: 3), reason: .noMappedRole("Contractor"))
                ]
            ]
        )
    }
}
