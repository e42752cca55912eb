/// The engine's version, as `updraft --version` and (later) the API's `/version` report it.
public enum EngineVersion {
    /// Semantic version of this source tree.
    public static let current = "0.9.0"
}
