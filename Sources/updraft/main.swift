import MarketCLI
import UpdraftCLI
import UpdraftDAGs
import UpdraftPostgres

// The engine's CLI with this binary's DAGs and the crypto pipeline's extension (its commands,
// configuration keys and resources). It serves as its own worker when the engine starts it as one.
// `state.url` may name PostgreSQL (several schedulers and remote workers share it).
await UpdraftApplication(extensions: [MarketExtension()], stores: [PostgresStateStore.backend], dags: UpdraftDAGs.all).main()
