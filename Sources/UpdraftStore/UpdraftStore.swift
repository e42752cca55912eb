/// The durable state store: GRDB over the system libsqlite3, and an in-memory twin.
public enum UpdraftStore {}
