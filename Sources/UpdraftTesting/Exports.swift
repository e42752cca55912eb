@_exported import UpdraftRuntime

@_exported import class UpdraftStore.MemoryStateStore
