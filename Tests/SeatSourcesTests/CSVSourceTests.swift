import Foundation
import SeatSources
import TestSupport
import Testing

@Suite struct CSVSourceTests {
    struct ExportCase: Sendable, CustomTestStringConvertible {
        var name: String
        var fixture: String
        var options: CSVOptions
        var users: [String: [String: [String]]]
        var unmapped: [String: Int] = [:]
        var testDescription: String { name }
    }

    static let exports: [ExportCase] = [
        ExportCase(
            name: "Okta export, userType mapped, an unmapped Contractor",
            fixture: "okta-users.csv",
            options: CSVOptions(
                columns: .users(customer: "organization", user: "login", role: "userType"),
                roles: ["Editor": "editor", "Viewer": "viewer", "Owner": "admin"]
            ),
            users: [
                "acme": ["ana@acme.example": ["editor"], "bo@acme.example": ["viewer"]],
                "globex": ["cy@globex.example": ["admin"], "dee@globex.example": []],
            ],
            unmapped: ["Contractor": 1]
        ),
        ExportCase(
            name: "Google Workspace download, [Required]/[READ ONLY] suffixes, CRLF",
            fixture: "google-workspace-users.csv",
            options: CSVOptions(columns: .users(customer: "cost center", user: "Email Address", role: "Employee Type")),
            users: [
                "initech": ["ana@initech.example": ["editor"], "bo@initech.example": ["viewer"]],
                "umbrella": ["cy@umbrella.example": ["editor"]],
            ]
        ),
        ExportCase(
            name: "Entra download users, BOM, #EXT# guest, one member twice in other case",
            fixture: "entra-users.csv",
            options: CSVOptions(
                columns: .users(customer: "companyName", user: "userPrincipalName", role: "jobTitle"),
                roles: ["editor": "editor", "viewer": "viewer"]
            ),
            users: [
                "Contoso": [
                    "anna@contoso.example": ["editor", "viewer"],
                    "jdoe_outlook.com#EXT#@contoso.onmicrosoft.com": ["viewer"],
                ]
            ]
        ),
        ExportCase(
            name: "German Excel CSV UTF-8, ';' detected, formula-looking values kept as text",
            fixture: "excel-de.csv",
            options: CSVOptions(
                columns: .users(customer: "Kunde", user: "E-Mail", role: "Rolle"),
                roles: ["Bearbeiter": "editor", "Betrachter": "viewer"]
            ),
            users: [
                "Müller GmbH": [
                    "jürgen@mueller.example": ["editor"],
                    #"=HYPERLINK("http://x.example")"#: ["viewer"],
                    "@sabine": ["editor"],
                ],
                "+49 Vertrieb": ["ute@vertrieb.example": ["viewer"]],
            ]
        ),
        ExportCase(
            name: "tab-delimited with commas in cells",
            fixture: "tab-delimited.csv",
            options: userColumns,
            users: ["Acme, Inc.": ["ana@acme.example": ["editor"], "bo@acme.example": ["viewer"]]]
        ),
        ExportCase(
            name: "CR-only line ends",
            fixture: "mac-cr.csv",
            options: userColumns,
            users: ["acme": ["ana@acme.example": ["editor"], "bo@acme.example": ["viewer"]]]
        ),
        ExportCase(
            name: "quoted newlines and doubled quotes",
            fixture: "quoted-newlines.csv",
            options: userColumns,
            users: [
                "acme": ["ana@acme.example": ["editor"], "bo@acme.example": ["viewer"], "cy@acme.example": ["editor"]]
            ]
        ),
        ExportCase(
            name: "multi-role cells split on '|', and an empty role cell",
            fixture: "multi-role.csv",
            options: CSVOptions(columns: .users(customer: "customer", user: "user", role: "roles"), roleSeparator: "|"),
            users: [
                "acme": [
                    "ana@acme.example": ["editor", "viewer"], "bo@acme.example": ["viewer", "admin"],
                    "cy@acme.example": [],
                ]
            ]
        ),
    ]

    /// Input: a real-shaped export. Expected: exactly these users per customer with these feature codes.
    @Test(arguments: exports)
    func readsVendorExport(_ export: ExportCase) throws {
        let reading = try readCSV(try csvFixture(export.fixture), options: export.options)
        #expect(reading.grantsByUser == export.users)
        #expect(reading.unmappedRoles == export.unmapped)
        #expect(reading.source == "hr")
    }

    /// Input: a quoted field spanning two physical lines. Expected: every later row keeps its physical line.
    @Test func provenanceCountsPhysicalLines() throws {
        let reading = try readCSV(try csvFixture("quoted-newlines.csv"), options: userColumns)
        let lines = reading.customers["acme"]!.users.reduce(into: [String: Int]()) {
            $0[$1.id] = $1.grants.first!.at.line
        }
        #expect(lines == ["ana@acme.example": 2, "bo@acme.example": 4, "cy@acme.example": 5])
    }

    /// Input: pre-counted rows. Expected: counts per customer and feature, with the row's line.
    @Test func readsPreCountedRows() throws {
        let reading = try readCSV(
            try csvFixture("seat-counts.csv"),
            named: "seats.csv",
            options: CSVOptions(columns: .counts(customer: "customer", feature: "feature", count: "seats"))
        )
        #expect(reading.countsByFeature == ["acme": ["editor": 12, "viewer": 40], "globex": ["editor": 3]])
        #expect(reading.customers["globex"]!.counts["editor"]!.at.line == 4)
        #expect(reading.customers.values.allSatisfy { $0.users.isEmpty })
    }

    /// Input: blank lines, whitespace-only lines and lines of only delimiters between and after rows, padded
    /// header names and cells. Expected: those lines skipped, cells trimmed.
    @Test func skipsBlankAndDelimiterOnlyLines() throws {
        let text = "\n Customer , USER ,Role\n\nacme , ana@acme.example ,editor\n,,\n  \n , ,\nacme,bo,viewer\n\n\n"
        let reading = try readCSV(Array(text.utf8), options: userColumns)
        #expect(reading.grantsByUser == ["acme": ["ana@acme.example": ["editor"], "bo": ["viewer"]]])
    }

    /// Input: a header cell with a line break inside quotes, and whitespace around quoted cells.
    /// Expected: the name matches with its whitespace collapsed; the whitespace outside quotes is not data.
    @Test func matchesAHeaderNameHoldingALineBreak() throws {
        let text = "customer,\"user\r\nid\",role\r\n \"acme\" , \"ana\" ,editor\r\n"
        let options = CSVOptions(columns: .users(customer: "customer", user: "User ID", role: "role"))
        let reading = try readCSV(Array(text.utf8), options: options)
        #expect(reading.grantsByUser == ["acme": ["ana": ["editor"]]])
        #expect(reading.customers["acme"]!.users["ana"]!.grants[0].at.line == 3)
    }

    /// Input: a header with more commas than semicolons, read with `;` configured.
    /// Expected: the configured delimiter wins over detection.
    @Test func configuredDelimiterOverridesDetection() throws {
        let text = "customer;user;role;note,a,b,c\nacme;ana;editor;x,y\n"
        var options = userColumns
        options.delimiter = UInt8(ascii: ";")
        let reading = try readCSV(Array(text.utf8), options: options)
        #expect(reading.grantsByUser == ["acme": ["ana": ["editor"]]])
    }

    /// Input: role values in other case and padding than the mapping, and customer values renamed by config.
    /// Expected: mapped trimmed and case-insensitively; unnamed customers kept as written.
    @Test func mapsRolesAndRenamesCustomers() throws {
        let text =
            "customer,user,role\nACME Corp,ana, EDITOR \nacme corp,bo,Viewer\nGlobex,cy,Owner\nGlobex,dee,guest\n"
        let options = CSVOptions(
            columns: .users(customer: "customer", user: "user", role: "role"),
            roles: ["editor": "editor", "viewer": "viewer", "owner": "admin"],
            customers: ["Acme Corp": "cus_acme"]
        )
        let reading = try readCSV(Array(text.utf8), options: options)
        #expect(
            reading.grantsByUser == [
                "cus_acme": ["ana": ["editor"], "bo": ["viewer"]], "Globex": ["cy": ["admin"], "dee": []],
            ]
        )
        #expect(reading.unmappedRoles == ["guest": 1])
    }

    /// Input: a file with a header and no rows. Expected: refused as empty unless allowEmpty, then no customers.
    @Test(arguments: [Array("customer,user,role\n".utf8), Array("customer,user,role\r\n\r\n,,\r\n".utf8), []])
    func headerOnlyFileIsEmpty(_ bytes: [UInt8]) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("users.csv", bytes: bytes)
        try expectEmptyUnlessAllowed(SourceSettings(name: "hr", path: path), options: userColumns, file: path)
    }

    /// Input: a file larger than the 1 MiB read chunk, so records straddle chunk boundaries.
    /// Expected: every row read once, with its line.
    @Test func readsAcrossChunkBoundaries() throws {
        var text = "\u{FEFF}customer;user;role;note\r\n"
        for index in 0..<40_000 {
            text += "cust\(index % 7);user-\(index)@example.com;editor;\"two\r\nlines\"\r\n"
        }
        let reading = try readCSV(Array(text.utf8), options: CSVOptions(columns: userColumns.columns, roles: nil))
        #expect(text.utf8.count > 1 << 20)
        #expect(reading.customers.values.map(\.users.count).reduce(0, +) == 40_000)
        let last = reading.customers["cust\(39_999 % 7)"]!.users["user-39999@example.com"]!
        #expect(last.grants.map(\.feature) == ["editor"])
        #expect(last.grants[0].at.line == 2 + 2 * 39_999)
    }

    /// Input: 40,000 rows, more than the reader holds back before putting users into their customers' tables, three
    /// customers taking turns row by row, then `u0` of each listed again as `U0` with a second role.
    /// Expected: each customer's users in the order first listed, `u0` once with both grants, each at its line.
    @Test func keepsEveryCustomersUsersInFileOrder() throws {
        var text = "customer,user,role\n"
        for index in 0..<40_000 { text += "c\(index % 3),u\(index / 3),viewer\n" }
        for customer in 0..<3 { text += "c\(customer),U0,editor\n" }
        let reading = try readCSV(Array(text.utf8), options: userColumns)
        for customer in 0..<3 {
            let users = try #require(reading.customers["c\(customer)"]).users
            #expect(users.map(\.id) == (0..<((40_002 - customer) / 3)).map { "u\($0)" })
            let first = try #require(users["u0"])
            #expect(first.grants.map(\.feature) == ["viewer", "editor"])
            #expect(first.grants.map(\.at.line) == [2 + customer, 40_002 + customer])
        }
    }
}

extension CSVSourceTests {
    /// Input: 30,000 good rows, enough that several batches of them were handed to the thread that fills the user
    /// tables, then a row with two fields instead of three, then more good rows.
    /// Expected: the read fails with that row's line, and the same file without the bad row reads every user.
    @Test func failsOnALateRowAfterUsersWentToTheTablesThread() throws {
        let good = (0..<30_000).map { "c\($0 % 50),u\($0),viewer\n" }.joined()
        let text = "customer,user,role\n" + good + "c1,u-late\n" + "c2,u-after,viewer\n"
        #expect(
            csvErrorLine(Array(text.utf8), options: userColumns)
                == "users.csv:30002:1: row has 2 fields, header has 3"
        )
        let reading = try readCSV(Array(("customer,user,role\n" + good).utf8), options: userColumns)
        #expect(reading.customers.count == 50)
        #expect(reading.customers.values.map(\.users.count).reduce(0, +) == 30_000)
    }

    /// Input: 5,000 distinct unmapped role values, more than the reader maps once and remembers, each on one row,
    /// two of them (one remembered, one not) on a second row too, and `Editor|r4500` cells split on `|`.
    /// Expected: every unmapped value counted as often as it occurs, remembered or not; editors granted.
    @Test func countsUnmappedRolesPastTheRememberedOnes() throws {
        var text = "customer,user,role\n"
        for index in 0..<5_000 { text += "acme,u\(index),r\(index)\n" }
        text += "acme,u1,r1\nacme,u4999,r4999\nacme,ed1,Editor|r4500\nacme,ed2, editor | r4500 \n"
        let options = CSVOptions(
            columns: .users(customer: "customer", user: "user", role: "role"),
            roleSeparator: "|",
            roles: ["Editor": "editor"]
        )
        let reading = try readCSV(Array(text.utf8), options: options)
        var unmapped = Dictionary(uniqueKeysWithValues: (0..<5_000).map { ("r\($0)", 1) })
        unmapped["r1"] = 2
        unmapped["r4999"] = 2
        unmapped["r4500"] = 3
        #expect(reading.unmappedRoles == unmapped)
        #expect(reading.grantsByUser["acme"]?["ed1"] == ["editor"])
        #expect(reading.grantsByUser["acme"]?["ed2"] == ["editor"])
        #expect(reading.grantsByUser["acme"]?.count == 5_002)
    }
}
