import Foundation
import HTTPTypes
import Hummingbird

/// Answers what no route handles (an unknown path, a method a path does not have, a body past
/// the size limit) in Airflow's shape, `{"detail": "Not Found"}`, instead of an empty body.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message =
                switch error.status {
                case .notFound: "Not Found"
                case .methodNotAllowed: "Method Not Allowed"
                case .contentTooLarge: "Request body too large"
                default: error.status.reasonPhrase
                }
            var answer = APIError(error.status, message)
            answer.headers = error.headers
            return answer.response.hummingbird
        }
    }
}
