import Foundation
import Synchronization

/// A timer queue for all groups of a dispatcher: `schedule(id, at:)` arms a deadline, and while `run(clock:)` runs,
/// due ids come out of `due` in deadline order. One loop sleeps until the earliest deadline, so there is no task or
/// timer per group; a deadline earlier than the one slept for wakes it.
final class FlushScheduler<ID: Hashable & Sendable>: Sendable {
    private struct Entry: Comparable {
        var deadline: Date
        var sequence: UInt64
        var id: ID
        static func < (a: Entry, b: Entry) -> Bool {
            a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence
        }
        static func == (a: Entry, b: Entry) -> Bool { a.deadline == b.deadline && a.sequence == b.sequence }
    }

    private struct State {
        var heap = Heap<Entry>()
        var sequence: UInt64 = 0
        var stopped = false
        /// Signalled when the loop must look again: an earlier deadline or `stop()`.
        var wakeup = Wakeup()
    }

    private let state = Mutex(State())
    /// Due ids, in order.
    let due: AsyncStream<ID>
    private let continuation: AsyncStream<ID>.Continuation

    init() {
        (due, continuation) = AsyncStream.makeStream(of: ID.self)
    }

    /// Arms a deadline for `id`. Several deadlines for one id may be pending; the consumer ignores stale ones.
    func schedule(_ id: ID, at deadline: Date) {
        let wakeup = state.withLock { state -> Wakeup? in
            guard !state.stopped else { return nil }
            state.sequence += 1
            let earliest = state.heap.min?.deadline
            state.heap.insert(Entry(deadline: deadline, sequence: state.sequence, id: id))
            let isEarliest = earliest.map { deadline < $0 } ?? true
            return isEarliest ? state.wakeup : nil
        }
        wakeup?.signal()
    }

    /// Finishes `due` and ends `run(clock:)`; later deadlines are ignored.
    func stop() {
        let wakeup = state.withLock { state -> Wakeup in
            state.stopped = true
            return state.wakeup
        }
        continuation.finish()
        wakeup.signal()
    }

    /// Hands out due ids until `stop()` or cancellation, sleeping on `clock` in between.
    func run(clock: any EngineClock) async {
        while !Task.isCancelled {
            let now = clock.now
            let step = state.withLock { state -> (ready: [ID], earliest: Date?, wakeup: Wakeup)? in
                guard !state.stopped else { return nil }
                var ready: [ID] = []
                while let min = state.heap.min, min.deadline <= now {
                    ready.append(min.id)
                    _ = state.heap.popMin()
                }
                // A fresh wakeup in the same critical section as the pop, so no schedule() in between is missed.
                state.wakeup = Wakeup()
                return (ready, state.heap.min?.deadline, state.wakeup)
            }
            guard let step else { break }
            for id in step.ready { continuation.yield(id) }
            await withTaskGroup(of: Void.self) { timer in
                if let deadline = step.earliest {
                    timer.addTask {  // allowed: structured child task of a task group
                        try? await clock.sleep(until: deadline)
                        step.wakeup.signal()
                    }
                }
                await step.wakeup.wait()
                timer.cancelAll()
            }
        }
        continuation.finish()
    }
}

/// A binary min-heap.
struct Heap<Element: Comparable> {
    private var items: [Element] = []

    var min: Element? { items.first }
    var count: Int { items.count }

    mutating func insert(_ element: Element) {
        items.append(element)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let result = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, items[left] < items[smallest] { smallest = left }
            if right < items.count, items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return result
    }
}
