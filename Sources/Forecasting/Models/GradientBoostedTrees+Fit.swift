extension GradientBoostedTrees {
    /// Fits `parameters.trees` depth-limited trees to the residuals of squared loss.
    /// - Throws: ``ForecastingError/trainingFailed(_:)`` when there are no rows.
    public static func fit(_ x: FeatureMatrix, _ y: [Double], parameters: Parameters) throws -> GradientBoostedTrees {
        precondition(x.rows == y.count, "\(x.rows) rows but \(y.count) targets")
        guard x.rows > 0 else { throw ForecastingError.trainingFailed("gradient-boosted trees: no training rows") }
        let bins = FeatureBins(x, maxBins: parameters.bins)
        let base = y.reduce(0, +) / Double(y.count)
        var prediction = [Double](repeating: base, count: y.count)
        var residual = [Double](repeating: 0, count: y.count)
        var rng = SplitMix64(seed: parameters.seed)
        let sampleCount = max(1, min(x.rows, Int((Double(x.rows) * parameters.subsample).rounded())))
        var builder = TreeBuilder(bins: bins, columns: x.columns, parameters: parameters)
        var trees = [Tree]()
        trees.reserveCapacity(parameters.trees)
        var rows = [Int]()
        rows.reserveCapacity(sampleCount)
        for _ in 0..<parameters.trees {
            for i in 0..<y.count { residual[i] = y[i] - prediction[i] }
            // Selection sampling (Knuth's algorithm S): exactly `sampleCount` rows, in row order.
            rows.removeAll(keepingCapacity: true)
            var needed = sampleCount
            for r in 0..<x.rows where needed > 0 {
                if sampleCount == x.rows || rng.nextUnit() * Double(x.rows - r) < Double(needed) {
                    rows.append(r)
                    needed -= 1
                }
            }
            let built = builder.build(rows: rows, residual: residual)
            built.addPredictions(to: &prediction, bins: bins, columns: x.columns)
            trees.append(built.tree)
        }
        return GradientBoostedTrees(parameters: parameters, baseValue: base, trees: trees, featureCount: x.columns)
    }
}

/// A tree as it is grown: the public form plus each split's bin, to update training predictions fast.
struct GrownTree {
    var tree: GradientBoostedTrees.Tree
    var splitBin: [Int]

    /// Adds the tree's output to `prediction` for every training row, walking the binned values.
    func addPredictions(to prediction: inout [Double], bins: FeatureBins, columns: Int) {
        tree.feature.withUnsafeBufferPointer { feature in
            tree.left.withUnsafeBufferPointer { left in
                tree.right.withUnsafeBufferPointer { right in
                    tree.value.withUnsafeBufferPointer { value in
                        splitBin.withUnsafeBufferPointer { splitBin in
                            bins.binned.withUnsafeBufferPointer { binned in
                                prediction.withUnsafeMutableBufferPointer { prediction in
                                    for r in 0..<prediction.count {
                                        var node = 0
                                        while feature[node] >= 0 {
                                            let b = Int(binned[r &* columns &+ feature[node]])
                                            node = b <= splitBin[node] ? left[node] : right[node]
                                        }
                                        prediction[r] += value[node]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Residual sums and row counts per (feature, bin) for one node's rows.
struct Histogram {
    var sums: [Double]
    var counts: [Int]

    init(size: Int) {
        sums = [Double](repeating: 0, count: size)
        counts = [Int](repeating: 0, count: size)
    }

    /// `parent − child`, the histogram of the sibling.
    static func difference(_ parent: Histogram, _ child: Histogram) -> Histogram {
        var out = parent
        for i in out.sums.indices {
            out.sums[i] -= child.sums[i]
            out.counts[i] -= child.counts[i]
        }
        return out
    }
}

/// Grows one tree depth-first on histograms of residual sums per (feature, bin); a child's
/// histogram is the parent's minus its sibling's, so only the smaller child is scanned.
struct TreeBuilder {
    let bins: FeatureBins
    let columns: Int
    let parameters: GradientBoostedTrees.Parameters
    /// Where each feature's bins start in a histogram.
    private let offsets: [Int]
    private let histogramSize: Int
    private var grown = GrownTree(tree: .init(feature: [], threshold: [], left: [], right: [], value: []), splitBin: [])

    init(bins: FeatureBins, columns: Int, parameters: GradientBoostedTrees.Parameters) {
        self.bins = bins
        self.columns = columns
        self.parameters = parameters
        var offsets = [Int]()
        var size = 0
        for c in 0..<columns {
            offsets.append(size)
            size += bins.cuts[c].count + 1
        }
        self.offsets = offsets
        histogramSize = size
    }

    mutating func build(rows: [Int], residual: [Double]) -> GrownTree {
        grown = GrownTree(tree: .init(feature: [], threshold: [], left: [], right: [], value: []), splitBin: [])
        let histogram = canSplit(rows.count, depth: 0) ? scan(rows, residual) : nil
        _ = grow(rows: rows, residual: residual, histogram: histogram, depth: 0)
        return grown
    }

    private func canSplit(_ n: Int, depth: Int) -> Bool {
        depth < parameters.maxDepth && n >= 2 * max(1, parameters.minSamplesLeaf)
    }

    private func scan(_ rows: [Int], _ residual: [Double]) -> Histogram {
        var histogram = Histogram(size: histogramSize)
        let columns = self.columns
        bins.binned.withUnsafeBufferPointer { binned in
            offsets.withUnsafeBufferPointer { offsets in
                residual.withUnsafeBufferPointer { residual in
                    histogram.sums.withUnsafeMutableBufferPointer { sums in
                        histogram.counts.withUnsafeMutableBufferPointer { counts in
                            for r in rows {
                                let g = residual[r]
                                let base = r &* columns
                                for c in 0..<columns {
                                    let slot = offsets[c] &+ Int(binned[base &+ c])
                                    sums[slot] += g
                                    counts[slot] &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return histogram
    }

    private mutating func addNode() -> Int {
        grown.tree.feature.append(-1)
        grown.tree.threshold.append(0)
        grown.tree.left.append(-1)
        grown.tree.right.append(-1)
        grown.tree.value.append(0)
        grown.splitBin.append(-1)
        return grown.tree.feature.count - 1
    }

    private mutating func grow(rows: [Int], residual: [Double], histogram: Histogram?, depth: Int) -> Int {
        let node = addNode()
        var total = 0.0
        for r in rows { total += residual[r] }
        let n = rows.count
        grown.tree.value[node] = parameters.learningRate * total / (Double(n) + parameters.l2)
        let minLeaf = max(1, parameters.minSamplesLeaf)
        guard let histogram, let split = bestSplit(histogram, n: n, total: total, minLeaf: minLeaf) else { return node }
        var leftRows = [Int]()
        var rightRows = [Int]()
        leftRows.reserveCapacity(split.leftCount)
        rightRows.reserveCapacity(n - split.leftCount)
        for r in rows {
            if Int(bins.binned[r * columns + split.feature]) <= split.bin { leftRows.append(r) } else { rightRows.append(r) }
        }
        grown.tree.feature[node] = split.feature
        grown.tree.threshold[node] = bins.cuts[split.feature][split.bin]
        grown.splitBin[node] = split.bin
        let splitLeft = canSplit(leftRows.count, depth: depth + 1)
        let splitRight = canSplit(rightRows.count, depth: depth + 1)
        var leftHistogram: Histogram?
        var rightHistogram: Histogram?
        switch (splitLeft, splitRight) {
        case (true, true):
            if leftRows.count <= rightRows.count {
                leftHistogram = scan(leftRows, residual)
                rightHistogram = Histogram.difference(histogram, leftHistogram!)
            } else {
                rightHistogram = scan(rightRows, residual)
                leftHistogram = Histogram.difference(histogram, rightHistogram!)
            }
        case (true, false): leftHistogram = scan(leftRows, residual)
        case (false, true): rightHistogram = scan(rightRows, residual)
        case (false, false): break
        }
        let left = grow(rows: leftRows, residual: residual, histogram: leftHistogram, depth: depth + 1)
        let right = grow(rows: rightRows, residual: residual, histogram: rightHistogram, depth: depth + 1)
        grown.tree.left[node] = left
        grown.tree.right[node] = right
        return node
    }

    private struct Split { var feature: Int; var bin: Int; var leftCount: Int }

    private func bestSplit(_ histogram: Histogram, n: Int, total: Double, minLeaf: Int) -> Split? {
        let l2 = parameters.l2
        let parentScore = total * total / (Double(n) + l2)
        var best: Split?
        var bestGain = 1e-18 * max(1, abs(parentScore))
        for c in 0..<columns {
            let cutCount = bins.cuts[c].count
            let offset = offsets[c]
            var leftSum = 0.0
            var leftCount = 0
            for b in 0..<cutCount {
                leftSum += histogram.sums[offset + b]
                leftCount += histogram.counts[offset + b]
                let rightCount = n - leftCount
                if leftCount < minLeaf { continue }
                if rightCount < minLeaf { break }
                let rightSum = total - leftSum
                let gain =
                    leftSum * leftSum / (Double(leftCount) + l2)
                    + rightSum * rightSum / (Double(rightCount) + l2) - parentScore
                if gain > bestGain {
                    bestGain = gain
                    best = Split(feature: c, bin: b, leftCount: leftCount)
                }
            }
        }
        return best
    }
}
