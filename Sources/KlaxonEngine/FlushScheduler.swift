import Foundation
import Synchronization

/// A timer queue on one dedicated thread: `schedule(id, at:)` arms a deadline, and due ids come out of
/// `due` in deadline order. One thread sleeps for all groups, so there is no task or timer per group.
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
    }

    private let state = Mutex(State())
    /// `NSCondition` is a thread-safe lock + condition variable; it only guards the wake-up.
    private let condition = NSCondition()
    /// Due ids, in order.
    let due: AsyncStream<ID>
    private let continuation: AsyncStream<ID>.Continuation

    init() {
        (due, continuation) = AsyncStream.makeStream(of: ID.self)
        let thread = Thread { [self] in self.loop() }
        thread.name = "klaxon-flush-timer"
        thread.start()
    }

    /// Arms a deadline for `id`. Several deadlines for one id may be pending; the consumer ignores stale ones.
    func schedule(_ id: ID, at deadline: Date) {
        let wake = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.sequence += 1
            let earliest = state.heap.min?.deadline
            state.heap.insert(Entry(deadline: deadline, sequence: state.sequence, id: id))
            return earliest.map { deadline < $0 } ?? true
        }
        if wake {
            condition.lock()
            condition.signal()
            condition.unlock()
        }
    }

    /// Stops the thread and finishes `due`.
    func stop() {
        state.withLock { $0.stopped = true }
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            let now = Date()
            let (ready, stopped) = state.withLock { state -> ([ID], Bool) in
                var ready: [ID] = []
                while let min = state.heap.min, min.deadline <= now {
                    ready.append(min.id)
                    _ = state.heap.popMin()
                }
                return (ready, state.stopped)
            }
            if stopped {
                continuation.finish()
                return
            }
            for id in ready { continuation.yield(id) }
            condition.lock()
            // Re-check under the condition lock so a schedule() between the two locks is not missed.
            let earliest = state.withLock { $0.stopped ? Date.distantPast : $0.heap.min?.deadline }
            if let earliest {
                if earliest > Date() { _ = condition.wait(until: earliest) }
            } else {
                condition.wait()
            }
            condition.unlock()
        }
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
