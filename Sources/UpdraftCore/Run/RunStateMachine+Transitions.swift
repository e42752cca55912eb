import Foundation

extension RunStateMachine {
    mutating func start(now: Date, _ actions: inout [RunAction]) {
        runState = .running
        actions.append(.setRunState(.running))
        let created = pendingCreation
        pendingCreation = []
        for id in orphans {
            instances[id]!.state = .removed
            actions.append(.write(instances[id]!))
        }
        orphans = []
        var work: [String] = []
        for id in order {
            let instance = instances[id]!
            switch instance.state {
            case .scheduled: actions.append(.schedule(id))
            case .queued, .running:
                if nodes[id]!.isFactory {
                    if children[id] == nil { actions.append(.expandFactory(id)) }
                    continue
                }
                if instance.state == .running, adoptable.contains(id) {
                    actions.append(.resumeTry(id, tryNumber: instance.tryNumber))
                    continue
                }
                let error =
                    instance.state == .queued
                    ? "the process that owned the run died while this try was queued"
                    : "the process that owned the run died during this try"
                actions.append(
                    .recordTry(
                        TaskTry(
                            dagId: dagId, runId: runId, taskId: id, tryNumber: instance.tryNumber,
                            state: .interrupted, startDate: instance.startDate, endDate: now, error: error)))
                var updated = instance
                updated.state = .scheduled
                updated.endDate = nil
                instances[id] = updated
                actions += [.write(updated), .schedule(id)]
            case .upForRetry: actions.append(.retryAt(id, instance.nextRetryAt ?? now))
            case .none: evaluate(id, now: now, &actions, &work)
            default: break
            }
        }
        for (id, progress) in children
        where instances[id]?.state == .running && progress.done.done >= progress.total
            && progress.total > 0
        {
            settle(id, rollUp(progress.done), now: now, &actions, &work)
        }
        propagate(&work, now: now, &actions)
        writeUndecided(created, &actions)
    }

    mutating func grantSlot(_ id: String, queued: Bool, now: Date, _ actions: inout [RunAction]) {
        guard var instance = instances[id], instance.state == .scheduled else { return }
        instance.tryNumber += 1
        instance.state = queued ? .queued : .running
        instance.startDate = queued ? nil : now
        instance.endDate = nil
        instance.error = nil
        instances[id] = instance
        actions += [.write(instance), .startTry(id, tryNumber: instance.tryNumber)]
    }

    mutating func finishTry(_ id: String, _ outcome: TryOutcome, now: Date, _ actions: inout [RunAction]) {
        guard var instance = instances[id], instance.state.isActive, let node = nodes[id] else { return }
        var work: [String] = []
        func record(_ state: TaskState, _ error: String?) {
            actions.append(
                .recordTry(
                    TaskTry(
                        dagId: dagId, runId: runId, taskId: id, tryNumber: instance.tryNumber,
                        state: state, startDate: instance.startDate, endDate: now, error: error)))
        }
        switch outcome {
        case .success(let follow):
            record(.success, nil)
            if node.isBranch, let follow {
                let chosen = Set(follow)
                branchSkips[id] = Set(
                    node.downstream.filter { downstream in
                        !chosen.contains(downstream) && !chosen.contains(String(downstream.split(separator: ".").last ?? ""))
                    })
            }
            settle(id, .success, now: now, &actions, &work)
        case .skipped(let reason):
            record(.skipped, reason)
            settle(id, .skipped, now: now, &actions, &work)
        case .failed(let errorType, let message, let retryable):
            record(.failed, message)
            instance.failedTries += 1
            instance.error = message
            if retryable, node.retry.allowsRetry(afterFailedTries: instance.failedTries, errorType: errorType) {
                let sample = RunStateMachine.jitterSample("\(dagId)#\(id)#\(runId)#\(instance.tryNumber)")
                let delay = node.retry.delay(afterFailedTries: instance.failedTries, jitterSample: sample)
                instance.state = .upForRetry
                instance.endDate = now
                instance.nextRetryAt = now.addingTimeInterval(delay.seconds)
                instances[id] = instance
                actions += [.write(instance), .retryAt(id, instance.nextRetryAt!), .callback(info(id, message))]
            } else {
                instances[id] = instance
                settle(id, .failed, now: now, &actions, &work)
                if failFast {
                    propagate(&work, now: now, &actions)
                    stopAll(now: now, runningAs: .failed, reason: "failed fast: '\(id)' failed", &actions)
                    return
                }
            }
        case .interrupted where instance.state == .queued:
            // Cut off before a worker took it (a shutdown): it never ran, so it is no try.
            instance.tryNumber -= 1
            instance.state = .scheduled
            instance.endDate = nil
            instances[id] = instance
            actions += [.write(instance), .schedule(id)]
        case .interrupted:
            record(.interrupted, "interrupted")
            instance.state = .scheduled
            instance.endDate = nil
            instances[id] = instance
            actions += [.write(instance), .schedule(id)]
        }
        propagate(&work, now: now, &actions)
    }

    mutating func expanded(_ id: String, _ expansion: [TaskNode], now: Date, _ actions: inout [RunAction]) {
        guard instances[id]?.state == .running, children[id] == nil else { return }
        children[id] = ChildProgress()
        instances.reserveCapacity(instances.count + expansion.count)
        var created: [String] = []
        for node in expansion where instances[node.id] == nil {
            instances[node.id] = TaskInstance(runId: runId, dagId: dagId, node: node)
            created.append(node.id)
            unfinished += 1
        }
        add(expansion)
        var work: [String] = []
        if expansion.isEmpty { settle(id, .success, now: now, &actions, &work) }
        for node in expansion where node.upstream.isEmpty { evaluate(node.id, now: now, &actions, &work) }
        propagate(&work, now: now, &actions)
        writeUndecided(created, &actions)
    }

    /// Writes the new instances no transition wrote yet (still without a state): each new row is
    /// written once, in the state it ends the event in.
    func writeUndecided(_ created: [String], _ actions: inout [RunAction]) {
        for id in created { if let instance = instances[id], instance.state == .none { actions.append(.write(instance)) } }
    }

    /// Ends the run failed: unfinished tasks are skipped; running tries are cancelled and their
    /// tasks end in `runningAs` (`skipped` on timeout or cancel, `failed` when failing fast).
    mutating func stopAll(
        now: Date, runningAs: TaskState = .skipped, reason: String? = nil,
        _ actions: inout [RunAction]
    ) {
        guard !runState.isTerminal else { return }
        for id in order {
            guard var instance = instances[id], !instance.state.isTerminal else { continue }
            // A queued try is cancelled too, and its task skipped like the others that never started.
            let wasRunning = instance.state == .running && !nodes[id]!.isFactory
            if wasRunning || instance.state == .queued { actions.append(.cancelTry(id)) }
            instance.state = wasRunning ? runningAs : .skipped
            if wasRunning, runningAs == .failed {
                instance.error = reason
                actions.append(
                    .recordTry(
                        TaskTry(
                            dagId: dagId, runId: runId, taskId: id, tryNumber: instance.tryNumber,
                            state: .failed, startDate: instance.startDate, endDate: now,
                            error: reason)))
            }
            instance.endDate = now
            instances[id] = instance
            actions.append(.write(instance))
        }
        unfinished = 0
        runState = .failed
        actions += [.setRunState(.failed), .finishRun(.failed)]
    }

    /// Puts `id` in a terminal state and queues it for propagation.
    mutating func settle(
        _ id: String, _ state: TaskState, now: Date, _ actions: inout [RunAction],
        _ work: inout [String]
    ) {
        guard var instance = instances[id], !instance.state.isTerminal else { return }
        instance.state = state
        instance.endDate = now
        if state == .success || state == .skipped { instance.error = nil }
        instances[id] = instance
        unfinished -= 1
        actions.append(.write(instance))
        if state == .success || state == .failed, !nodes[id]!.isFactory, instance.tryNumber > 0 {
            actions.append(.callback(info(id, instance.error)))
        }
        work.append(id)
    }

    /// Evaluates the trigger rule of a task that has not been decided yet.
    mutating func evaluate(_ id: String, now: Date, _ actions: inout [RunAction], _ work: inout [String]) {
        guard var instance = instances[id], instance.state == .none, let node = nodes[id] else { return }
        switch node.rule.evaluate(counts[id]!) {
        case .run:
            if node.isFactory {
                instance.state = .running
                instance.tryNumber = 1  // building its tasks is the factory's one try (its log: try-1)
                instance.startDate = now
                instances[id] = instance
                actions += [.write(instance), .expandFactory(id)]
            } else {
                instance.state = .scheduled
                instances[id] = instance
                actions += [.write(instance), .schedule(id)]
            }
        case .skip: settle(id, .skipped, now: now, &actions, &work)
        case .upstreamFailed: settle(id, .upstreamFailed, now: now, &actions, &work)
        case .wait: break
        }
    }

    /// Walks the downstream edges (and group roll-ups) of tasks that just finished.
    mutating func propagate(_ work: inout [String], now: Date, _ actions: inout [RunAction]) {
        while let id = work.popLast() {
            let state = instances[id]!.state
            let node = nodes[id]!
            let skips = branchSkips.removeValue(forKey: id) ?? []
            for downstream in node.downstream {
                counts[downstream]!.add(state)
                if skips.contains(downstream) {
                    settle(downstream, .skipped, now: now, &actions, &work)
                } else {
                    evaluate(downstream, now: now, &actions, &work)
                }
            }
            if let parent = node.parent, var progress = children[parent] {
                progress.done.add(state)
                children[parent] = progress
                if progress.done.done >= progress.total { settle(parent, rollUp(progress.done), now: now, &actions, &work) }
            }
        }
    }

    mutating func finishIfDone(_ actions: inout [RunAction]) {
        guard runState == .running, unfinished <= 0 else { return }
        let failed = order.contains { id in
            nodes[id]!.isLeaf && instances[id]!.state.isFailure
        }
        runState = failed ? .failed : .success
        actions += [.setRunState(runState), .finishRun(runState)]
    }

    /// A group's state from its children's: any failure → failed; all skipped → skipped; else success.
    func rollUp(_ done: UpstreamCounts) -> TaskState {
        if done.failures > 0 { return .failed }
        if done.total > 0 || done.done > 0, done.success == 0, done.skipped + done.removed == done.done { return .skipped }
        return .success
    }

    func info(_ id: String, _ error: String?) -> CallbackInfo {
        let instance = instances[id]!
        return CallbackInfo(
            dagId: dagId, runId: runId, taskId: id, tryNumber: instance.tryNumber,
            state: instance.state, error: error)
    }

    /// A deterministic sample in 0..<1 from a key (FNV-1a), as Airflow hashes its jitter.
    static func jitterSample(_ key: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Double(hash % 1_000_000) / 1_000_000
    }
}
