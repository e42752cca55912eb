import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

extension PostgresURL {
    /// The TLS settings of `sslmode` and `sslrootcert` (nil for `disable`).
    func tlsConfiguration() throws -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let sslRootCert {
            guard FileManager.default.isReadableFile(atPath: sslRootCert) else {
                throw PostgresURLError(part: "sslrootcert", message: "cannot read the file \(sslRootCert)")
            }
            tls.trustRoots = .file(sslRootCert)
        }
        switch sslMode {
        case .disable: return nil
        // libpq: `require` with a root certificate file behaves as `verify-ca`.
        case .prefer, .require: tls.certificateVerification = sslRootCert == nil ? .none : .noHostnameVerification
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        return tls
    }

    /// The pool's configuration; the client connects lazily.
    func clientConfiguration(maximumConnections: Int) throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch (sslMode, try tlsConfiguration()) {
            case (.disable, _), (_, nil): .disable
            case (.prefer, let config?): .prefer(config)
            case (_, let config?): .require(config)
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        if sslMode == .verifyFull { configuration.options.tlsServerName = host }
        if let applicationName { configuration.options.additionalStartupParameters = [("application_name", applicationName)] }
        return configuration
    }

    /// The configuration of one connection (the one that migrates at start-up, so that a server
    /// that cannot be reached or refuses TLS is reported at once rather than retried by the pool).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch (sslMode, try tlsConfiguration()) {
        case (.disable, _), (_, nil): tls = .disable
        case (.prefer, let config?): tls = .prefer(try NIOSSLContext(configuration: config))
        case (_, let config?): tls = .require(try NIOSSLContext(configuration: config))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        if sslMode == .verifyFull { configuration.options.tlsServerName = host }
        if let applicationName { configuration.options.additionalStartupParameters = [("application_name", applicationName)] }
        return configuration
    }
}
