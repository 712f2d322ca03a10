/// CSV files shaped like what identity consoles and spreadsheets really export (see shared/formats.md).
enum CSVExports {
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Okta user export: LF line ends, a quoted display name holding a comma, no newline after the last row.
    static let okta = #"""
        login,firstName,lastName,email,displayName,userType,employeeNumber,costCenter,organization,division,department,managerId
        ana@acme.example,Ana,Lima,ana@acme.example,"Lima, Ana",Editor,1001,CC-1,acme,EMEA,Sales,
        bo@acme.example,Bo,Berg,bo@acme.example,"Berg, Bo",Viewer,1002,CC-1,acme,EMEA,Sales,ana@acme.example
        cy@globex.example,Cy,Chen,cy@globex.example,Cy Chen,Owner,2001,CC-9,globex,APAC,IT,
        dee@globex.example,Dee,Diaz,dee@globex.example,Dee Diaz,Contractor,2002,CC-9,globex,APAC,IT,cy@globex.example
        """#

    /// Google Workspace admin download: vendor suffixes on header names, CRLF, a trailing empty line.
    static let googleWorkspace =
        "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],"
        + "Org Unit Path [Required],Status [READ ONLY],Last Sign In [READ ONLY],Employee ID,Employee Type,"
        + "Department,Cost Center\r\n"
        + "Ana,Lima,ana@initech.example,****,/Sales/EMEA,Active,2026/11/20 09:12:44,7,editor,Sales,initech\r\n"
        + "Bo,Berg,bo@initech.example,****,/Sales/EMEA,Active,Never logged in,8,viewer,Sales,initech\r\n"
        + "Cy,Chen,cy@umbrella.example,****,/IT,Suspended,2026/10/01 17:00:02,9,editor,IT,umbrella\r\n"
        + "\r\n"

    /// Microsoft Entra "Download users": UTF-8 BOM, CRLF, a guest whose UPN carries `#EXT#`, and the same
    /// member listed twice with different case.
    static let entra: [UInt8] =
        bom
        + Array(
            ("userPrincipalName,displayName,surname,mail,givenName,id,userType,jobTitle,department,"
                + "accountEnabled,usageLocation,companyName,creationType,directorySynced,createdDateTime\r\n"
                + "anna@contoso.example,Anna Roth,Roth,anna@contoso.example,Anna,"
                + "0f1e2d3c-0000-4000-8000-000000000001,Member,Editor,Sales,True,DE,Contoso,,True,"
                + "2025-03-01T10:00:00Z\r\n"
                + "jdoe_outlook.com#EXT#@contoso.onmicrosoft.com,John Doe,,jdoe@outlook.com,,"
                + "0f1e2d3c-0000-4000-8000-000000000002,Guest,Viewer,,True,,Contoso,Invitation,,"
                + "2025-06-11T08:30:00Z\r\n"
                + "ANNA@CONTOSO.EXAMPLE,Anna Roth,Roth,anna@contoso.example,Anna,"
                + "0f1e2d3c-0000-4000-8000-000000000001,Member,Viewer,Sales,True,DE,Contoso,,True,"
                + "2025-03-01T10:00:00Z\r\n").utf8
        )

    /// Excel "CSV UTF-8" in a German locale: `;` delimiter, CRLF, BOM, umlauts, a quoted field holding `;`,
    /// and formula-looking values that must stay text.
    static let excelGerman: [UInt8] =
        bom
        + Array(
            ("Kunde;E-Mail;Rolle;Bemerkung\r\n"
                + "Müller GmbH;jürgen@mueller.example;Bearbeiter;\"Team A; Team B\"\r\n"
                + "Müller GmbH;\"=HYPERLINK(\"\"http://x.example\"\")\";Betrachter;\r\n"
                + "Müller GmbH;@sabine;Bearbeiter;-1\r\n"
                + "+49 Vertrieb;ute@vertrieb.example;Betrachter;=1+2\r\n").utf8
        )

    /// Tab-delimited text, whose cells hold commas (so detection must not pick `,`).
    static let tabDelimited =
        "customer\tuser\trole\nAcme, Inc.\tana@acme.example\teditor\nAcme, Inc.\tbo@acme.example\tviewer\n"

    /// Old Mac line ends: CR only.
    static let carriageReturnOnly = "customer,user,role\racme,ana@acme.example,editor\racme,bo@acme.example,viewer\r"

    /// A quoted note spanning two physical lines, doubled quotes, and a quoted customer.
    static let quotedNewlines = #"""
        customer,user,role,note
        acme,ana@acme.example,editor,"first line
        second line"
        "acme",bo@acme.example,viewer,"she said ""hi"""
        acme,cy@acme.example,editor,plain
        """#

    /// One quoted cell holding several roles, GitHub-report style.
    static let multiRole = #"""
        customer,user,roles
        acme,ana@acme.example,"editor|viewer"
        acme,bo@acme.example,viewer | admin
        acme,cy@acme.example,
        """#

    /// Pre-counted seats per customer and feature code.
    static let preCounted = #"""
        customer,feature,seats
        acme,editor,12
        acme,viewer,40
        globex,editor, 3
        """#
}
