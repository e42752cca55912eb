import Testing
import UpdraftCore

@Suite struct RetryPolicyTests {
    @Test func defaultsAreAirflows() {
        let policy = RetryPolicy()
        #expect(policy.retries == 0)
        #expect(policy.backoffCoefficient == 1)
        #expect(policy.initialDelay == .seconds(300))
        #expect(!policy.allowsRetry(afterFailedTries: 1, errorType: nil))
    }

    @Test(arguments: [
        // (coefficient, max delay s, failed tries, expected delay s)
        (1.0, nil as Double?, 1, 2.0), (1.0, nil, 5, 2.0),
        (2.0, nil, 1, 2.0), (2.0, nil, 2, 4.0), (2.0, nil, 4, 16.0),
        (2.0, 10.0, 4, 10.0), (3.0, 100.0, 3, 18.0),
    ])
    func delayGrowsAndIsCapped(coefficient: Double, maximum: Double?, failedTries: Int, expected: Double) {
        let policy = RetryPolicy(
            retries: 10, initialDelay: .seconds(2), backoffCoefficient: coefficient,
            maximumDelay: maximum.map { .milliseconds(Int64($0 * 1000)) })
        #expect(policy.delay(afterFailedTries: failedTries, jitterSample: 0).seconds == expected)
    }

    @Test func jitterAddsUpToItsFraction() {
        let policy = RetryPolicy(retries: 3, initialDelay: .seconds(10), jitter: 0.5)
        #expect(policy.delay(afterFailedTries: 1, jitterSample: 0).seconds == 10)
        #expect(policy.delay(afterFailedTries: 1, jitterSample: 0.5).seconds == 12.5)
        #expect(policy.delay(afterFailedTries: 1, jitterSample: 0.999).seconds < 15.01)
    }

    @Test func coefficientBelowOneIsClampedToConstant() {
        #expect(RetryPolicy(backoffCoefficient: 0.5).backoffCoefficient == 1)
    }

    @Test func retriesAreCountedAndNonRetryableErrorsStop() {
        let policy = RetryPolicy(retries: 2, nonRetryableErrors: ["AuthError"])
        #expect(policy.allowsRetry(afterFailedTries: 1, errorType: "IOError"))
        #expect(policy.allowsRetry(afterFailedTries: 2, errorType: "IOError"))
        #expect(!policy.allowsRetry(afterFailedTries: 3, errorType: "IOError"))
        #expect(!policy.allowsRetry(afterFailedTries: 1, errorType: "AuthError"))
    }
}
