import MarketCLI
import UpdraftCLI
import UpdraftDAGs

// The engine's CLI with this binary's DAGs and the crypto pipeline's extension (its commands,
// configuration keys and resources). It serves as its own worker when the engine starts it as one.
await UpdraftApplication(extensions: [MarketExtension()], dags: UpdraftDAGs.all).main()
