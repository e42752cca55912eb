@_exported import UpdraftCore

@_exported import struct UpdraftStore.PoolRecord
