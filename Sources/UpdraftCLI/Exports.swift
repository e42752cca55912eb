// A binary built on the engine imports UpdraftCLI alone: DAG authoring, resources and typed
// configuration come with it.
@_exported import UpdraftConfig
@_exported import UpdraftRuntime
