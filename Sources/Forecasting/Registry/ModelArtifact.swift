import Foundation

/// The content of a model's artifact file `<home>/models/<id>.json`: everything needed to
/// predict, independent of the database.
public struct ModelArtifact: Sendable, Codable, Equatable {
    /// File format tag, `updraft-model/1`.
    public var format: String
    /// The model version id.
    public var id: String
    /// Trading pair.
    public var symbol: String
    /// Forecast horizon in minutes.
    public var horizonMinutes: Int
    /// Feature names, in the column order the model expects.
    public var features: [String]
    /// The fitted model.
    public var model: ForecastModel

    /// The current format tag.
    public static let currentFormat = "updraft-model/1"

    /// An artifact in the current format.
    public init(id: String, symbol: String, horizonMinutes: Int, features: [String], model: ForecastModel) {
        format = Self.currentFormat
        self.id = id
        self.symbol = symbol
        self.horizonMinutes = horizonMinutes
        self.features = features
        self.model = model
    }

    /// Writes the artifact atomically (a temporary file in the same directory, then `rename`).
    /// - Returns: the checksum of the bytes written (`fnv1a64:…`).
    func write(to url: URL) throws -> String {
        let bytes = try JSONText.data(self)
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        try bytes.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [
                    NSFilePathErrorKey: url.path,
                    NSLocalizedDescriptionKey: "rename failed: \(String(cString: strerror(code)))",
                ])
        }
        var hash = FNV1a64()
        hash.add(bytes)
        return hash.text
    }

    /// Reads and checks the artifact of `record`; every failure names the model version.
    static func read(_ record: ModelRecord, home: URL) throws -> ModelArtifact {
        let url = home.appendingPathComponent(record.artifactPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ForecastingError.modelFileMissing(version: record.id, path: url.path)
        }
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch {
            throw ForecastingError.modelFileCorrupt(version: record.id, path: url.path, reason: "unreadable: \(error)")
        }
        var hash = FNV1a64()
        hash.add(bytes)
        guard hash.text == record.artifactChecksum else {
            throw ForecastingError.modelFileCorrupt(
                version: record.id, path: url.path,
                reason: "checksum \(hash.text), registered \(record.artifactChecksum)")
        }
        let artifact: ModelArtifact
        do { artifact = try JSONDecoder().decode(ModelArtifact.self, from: bytes) } catch {
            throw ForecastingError.modelFileCorrupt(version: record.id, path: url.path, reason: "not a model file: \(error)")
        }
        guard artifact.format == currentFormat, artifact.id == record.id else {
            throw ForecastingError.modelFileCorrupt(
                version: record.id, path: url.path,
                reason: "holds \(artifact.format) model \(artifact.id)")
        }
        guard artifact.features == record.features else {
            throw ForecastingError.featuresDoNotMatch(
                version: record.id,
                reason: "artifact lists \(artifact.features), registry lists \(record.features)")
        }
        if let problem = artifact.model.incompatibility(featureCount: artifact.features.count) {
            throw ForecastingError.modelFileCorrupt(version: record.id, path: url.path, reason: problem)
        }
        return artifact
    }
}
