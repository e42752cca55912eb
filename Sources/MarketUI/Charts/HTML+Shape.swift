import UpdraftUI

extension HTML {
    /// An SVG shape with no content, `<tag …></tag>`: inline SVG in HTML has no void elements,
    /// so a bare `<line …>` would swallow what follows it.
    mutating func shape(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String?>) {
        open(tag, attributes)
        close(tag)
    }
}
