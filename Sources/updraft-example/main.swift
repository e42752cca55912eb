import UpdraftCLI

// A binary of one's own: one DAG and the whole engine CLI, no domain module.
await UpdraftApplication(name: "updraft-example", dags: { _ in [ExampleETL.dag] }).main()
