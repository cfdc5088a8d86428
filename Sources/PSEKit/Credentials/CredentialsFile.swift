import SwiftASN1

/// The content of a `cred_v2` file: the PINs `seclogin` stored, per PSE and OS user.
///
/// ```
/// CredentialsFile ::= SEQUENCE OF Credential
/// ```
///
/// Entries psekit does not recognize are kept and written back unchanged.
public struct CredentialsFile: Hashable, Sendable {
    public var credentials: [Credential]

    public init(credentials: [Credential] = []) {
        self.credentials = credentials
    }

    /// Decodes a whole `cred_v2` file. An empty file is an empty list.
    public init(derEncoded bytes: [UInt8]) throws {
        guard !bytes.isEmpty else {
            self.init()
            return
        }
        do {
            let root = try DER.parse(bytes)
            try self.init(derEncoded: root)
        } catch let error as PSEKitError where error.code.family == .credential {
            throw error
        } catch {
            throw PSEKitError.malformedCredentialsFile("not a DER SEQUENCE OF Credential (\(ErrorText.of(error)))")
        }
    }

    /// The DER of the whole file.
    public func serializedBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }

    /// The indices of the credentials for the PSE at `psePath` that decrypt for `user`.
    public func indices(forPSEAt psePath: String, user: String) -> [Int] {
        credentials.indices.filter { index in
            credentials[index].psePath == psePath && (try? credentials[index].decrypt(forUser: user)) != nil
        }
    }

    /// The secret stored for the PSE at `psePath` and `user`, or nil when there is none.
    /// A credential for that path that cannot be decrypted for this user (another user's, or one
    /// protected by DPAPI/TPM) is skipped; when every candidate fails this way and none succeeds, the
    /// first such error is thrown only if it is not simply "another user's credential". A secret
    /// whose PIN is a Windows DPAPI blob (`MSCryptProtect`) is never returned: it is not a PIN.
    public func secret(forPSEAt psePath: String, user: String) throws -> CredentialSecret? {
        var firstError: PSEKitError?
        for credential in credentials where credential.psePath == psePath {
            do {
                let secret = try credential.decrypt(forUser: user)
                guard !secret.isWindowsDPAPIProtected else { throw PSEKitError.windowsDPAPIProtected }
                return secret
            } catch let error as PSEKitError where error.code.family == .credential {
                switch error.code {
                case .credentialDecryptionFailed, .lpsRestrictedToAnotherUser: break
                default: if firstError == nil { firstError = error }
                }
            }
        }
        if let firstError { throw firstError }
        return nil
    }

    /// Stores `pin` for the PSE at `psePath` and `user` as an LPS-off credential (format 1, AES-256),
    /// replacing the credentials for the same PSE that decrypt for the same user.
    public mutating func store(pin: String, forUser user: String, subject: String, psePath: String) throws {
        let credential = try Credential.make(pin: pin, forUser: user, subject: subject, psePath: psePath)
        let old = Set(indices(forPSEAt: psePath, user: user))
        credentials = credentials.enumerated().filter { !old.contains($0.offset) }.map(\.element)
        credentials.append(credential)
    }

    /// Removes the credentials for the PSE at `psePath` that decrypt for `user`; returns how many.
    @discardableResult
    public mutating func remove(forPSEAt psePath: String, user: String) -> Int {
        let old = Set(indices(forPSEAt: psePath, user: user))
        credentials = credentials.enumerated().filter { !old.contains($0.offset) }.map(\.element)
        return old.count
    }
}

extension CredentialsFile: DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let credentials = try DER.sequence(of: Credential.self, identifier: identifier, rootNode: rootNode)
        self.init(credentials: credentials)
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.serializeSequenceOf(credentials, identifier: identifier)
    }
}
