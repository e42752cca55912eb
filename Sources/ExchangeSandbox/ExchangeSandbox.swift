/// A local exchange on 127.0.0.1 that speaks the real wire formats.
public enum ExchangeSandbox {}
