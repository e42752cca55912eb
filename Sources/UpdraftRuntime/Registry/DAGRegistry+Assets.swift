import UpdraftCore
import UpdraftStore

extension DAGRegistry {
    /// The assets the registered DAGs declare: task outlets and asset schedules.
    public var assetReferences: AssetReferences {
        var references = AssetReferences()
        var seen: Set<String> = []
        func note(_ asset: Asset) { if seen.insert(asset.uri).inserted { references.assets.append(asset) } }
        for id in ids {
            let dag = dags[id]!
            for node in dag.graph.nodes {
                for asset in node.options.outlets {
                    note(asset)
                    references.producers[asset.uri, default: []].append(TaskKeyName(id, node.id))
                }
            }
            for asset in dag.assetCondition?.assets ?? [] {
                note(asset)
                references.consumers[asset.uri, default: []].append(id)
            }
        }
        return references
    }
}
