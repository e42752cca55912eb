import MarketPipeline
import Testing

/// The rule syntax of `alerts.rules`: every condition with its parameters and defaults, and
/// every way a rule can be wrong, each error naming the key, the rule's position and the word.
@Suite struct AlertRuleSyntaxTests {
    @Test func everyConditionReadsWithItsParametersAndDefaults() throws {
        let rules = try AlertRuleSyntax.parse([
            "price_move percent=2 minutes=15", "rsi_above level=70 symbols=BTCUSDT,ETHUSDT name=rsi-hot", "rsi_below level=30",
            "macd_cross symbols=BTCUSDT+ETHUSDT", "bollinger", "volume_spike", "prediction threshold=0.01", "price_move percent=1.5",
        ])
        #expect(
            rules.map(\.condition) == [
                .priceMove(percent: 2, minutes: 15), .rsiAbove(70), .rsiBelow(30), .macdCrossesSignal, .outsideBollinger,
                .volumeSpike(multiple: 3, window: 20), .predictionBeyond(threshold: 0.01), .priceMove(percent: 1.5, minutes: 15),
            ])
        #expect(
            rules.map(\.name) == [
                "price_move-2-15", "rsi-hot", "rsi_below-30", "macd_cross", "bollinger", "volume_spike-3-20", "prediction-0.01",
                "price_move-1.5-15",
            ])
        #expect(rules[1].symbols == ["BTCUSDT", "ETHUSDT"] && rules[3].symbols == ["BTCUSDT", "ETHUSDT"] && rules[0].symbols == nil)
        #expect(rules[1].condition.text == "rsi_above level=70")
    }

    /// The error of `rules` (the last one at fault).
    static func error(_ rules: [String]) -> AlertRuleSyntaxError? {
        do {
            _ = try AlertRuleSyntax.parse(rules)
            return nil
        } catch { return error }
    }

    @Test(arguments: [
        ("", "", "the rule is empty"),
        ("rsi_over level=70", "rsi_over", "unknown condition"),
        ("rsi_above 70", "70", "expected parameter=value"),
        ("rsi_above =70", "=70", "expected parameter=value"),
        ("rsi_above levl=70", "levl=70", "unknown parameter 'levl' for rsi_above"),
        ("rsi_above level=70 level=80", "level=80", "'level' is given twice"),
        ("rsi_above level=", "level=", "'level' has no value"),
        ("rsi_above", "rsi_above", "rsi_above needs level=…"),
        ("price_move minutes=5", "price_move", "price_move needs percent=…"),
        ("prediction", "prediction", "prediction needs threshold=…"),
        ("rsi_above level=high", "level=high", "level must be a level from 0 to 100"),
        ("rsi_below level=120", "level=120", "level must be a level from 0 to 100"),
        ("price_move percent=0", "percent=0", "percent must be a number of percent above 0"),
        ("price_move percent=nan", "percent=nan", "percent must be"),
        ("price_move percent=2 minutes=1.5", "minutes=1.5", "minutes must be a whole number from 1 to 10080"),
        ("price_move percent=2 minutes=0", "minutes=0", "minutes must be a whole number"),
        ("volume_spike multiple=-1", "multiple=-1", "multiple must be a multiple above 0"),
        ("volume_spike window=0", "window=0", "window must be a whole number"),
        ("prediction threshold=0", "threshold=0", "threshold must be a return above 0"),
        ("bollinger symbols=,", "symbols=,", "symbols lists no pair"),
        ("bollinger symbols=btcusdt", "symbols=btcusdt", "'btcusdt' is not a pair"),
        ("bollinger name=a:b", "name=a:b", "a name has only letters, digits"),
        ("macd_cross window=3", "window=3", "unknown parameter 'window' for macd_cross"),
    ])
    func aBadRuleNamesTheKeyTheRuleAndTheWord(rule: String, word: String, reason: String) throws {
        let error = try #require(Self.error(["bollinger", rule]))
        #expect(error.key == "alerts.rules" && error.index == 2 && error.word == word)
        #expect(error.reason.contains(reason), "\(error)")
        #expect(error.description.hasPrefix("alerts.rules, rule 2 ('\(rule)'): "), "\(error)")
    }

    @Test func twoRulesWithOneNameAreRefused() throws {
        let error = try #require(Self.error(["rsi_above level=70", "bollinger", "rsi_above level=70"]))
        #expect(error.index == 3 && error.word == "name=rsi_above-70" && error.reason.contains("already used by rule 1"))
        #expect(throws: Never.self) { try AlertRuleSyntax.parse(["rsi_above level=70", "rsi_above level=70 name=second"]) }
    }
}
