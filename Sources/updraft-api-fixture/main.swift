import UpdraftCLI

// Test-only binary: the engine CLI (with its API server) over the API fixture DAGs.
await UpdraftApplication(name: "updraft-api-fixture", dags: { _ in APIFixtureDAGs.all }).main()
