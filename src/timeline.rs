//! The timeline: every step of a session, in order, and a way to show the
//! state after any of them (step back and forward, scrub, fork), like
//! RaftScope's playback.
//!
//! The state after step `k` is found by replaying steps from the nearest
//! snapshot at or before `k`. Snapshots are deep copies, so they cost time
//! and memory in proportion to the data (a cluster with 100,000 keys takes
//! a noticeable fraction of a second to copy); replaying a step costs the
//! commands it sends. [`Timeline`] balances the two:
//!
//! - at the head, a snapshot is taken once the work since the last one
//!   (commands sent) reaches [`MIN_GAP`] or the copy's own cost, whichever
//!   is more, so a big data set gets fewer snapshots and a heavy step (a
//!   100,000-key sample load) is followed by one;
//! - the snapshots' total weight is capped ([`MAX_WEIGHT`]): over it, the
//!   snapshot whose removal lengthens a replay the least goes first;
//! - a seek lands on a snapshot without copying it (the frame shares its
//!   data, read-only), replays forward in place when that is cheaper, and
//!   the live head is parked, not copied, while the past is shown.
//!
//! A frame that shares a snapshot's data must not be changed: call
//! [`Timeline::ensure_owned`] (or [`Timeline::fork`]) before changing it.
//!
//! Generic over the frame ([`Frame`]) so the logic is tested natively;
//! the web UI's app state is one. Pure: no browser code.

use std::collections::BTreeMap;

/// Work between snapshots at least (in commands sent).
pub const MIN_GAP: u64 = 64;
/// A deep copy of this much weight costs about one command's replay.
pub const COPY_PER_WORK: u64 = 16;
/// The snapshots' total weight at most (about 600,000 keys).
pub const MAX_WEIGHT: u64 = 600_000;

/// A state the timeline can snapshot and replay.
pub trait Frame {
    /// One step.
    type Step;

    /// Applies a step; returns its work (commands sent, at least 1).
    fn apply(&mut self, step: &Self::Step) -> u64;
    /// A copy that shares nothing mutable with `self`.
    fn deep_copy(&self) -> Self;
    /// A copy that shares `self`'s data (cheap).
    fn shallow_copy(&self) -> Self;
    /// Takes `other`'s state as its own (what a view of that step shows).
    fn load(&mut self, other: Self);
    /// The cost of a deep copy, roughly (keys held).
    fn weight(&self) -> u64;
}

struct Snapshot<F> {
    frame: F,
    weight: u64,
}

/// The steps and the snapshots of one session.
pub struct Timeline<F: Frame> {
    steps: Vec<F::Step>,
    /// `work_before[i]`: the work of steps `0..i` (one more entry than steps).
    work_before: Vec<u64>,
    /// Position → the frame after that many steps.
    snapshots: BTreeMap<usize, Snapshot<F>>,
    /// How many steps the current frame has applied.
    cursor: usize,
    /// The live frame, parked while an earlier step is shown.
    head: Option<F>,
    /// The current frame shares a snapshot's data (read-only).
    shared: bool,
    /// Bumped on every change.
    version: u64,
}

impl<F: Frame> Timeline<F> {
    /// A timeline whose step 0 is `initial` (copied).
    pub fn new(initial: &F) -> Timeline<F> {
        let mut snapshots = BTreeMap::new();
        snapshots.insert(
            0,
            Snapshot {
                frame: initial.deep_copy(),
                weight: initial.weight(),
            },
        );
        Timeline {
            steps: Vec::new(),
            work_before: vec![0],
            snapshots,
            cursor: 0,
            head: None,
            shared: false,
            version: 0,
        }
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// How many steps the shown frame has applied (`len()` at the head).
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// True when the shown frame is the last step's.
    pub fn at_head(&self) -> bool {
        self.cursor == self.steps.len()
    }

    /// Bumped on every change (steps, cursor).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Step `index` (0-based).
    pub fn step(&self, index: usize) -> Option<&F::Step> {
        self.steps.get(index)
    }

    /// Every step, in order.
    pub fn steps(&self) -> impl Iterator<Item = &F::Step> {
        self.steps.iter()
    }

    /// Positions that have a snapshot.
    pub fn snapshot_positions(&self) -> Vec<usize> {
        self.snapshots.keys().copied().collect()
    }

    /// The snapshots' total weight.
    pub fn snapshot_weight(&self) -> u64 {
        self.snapshots.values().map(|s| s.weight).sum()
    }

    fn work(&self, from: usize, to: usize) -> u64 {
        self.work_before[to] - self.work_before[from]
    }

    /// Makes `frame` (the shown one) safe to change: a frame that shares a
    /// snapshot's data gets its own copy.
    pub fn ensure_owned(&mut self, frame: &mut F) {
        if self.shared {
            let own = frame.deep_copy();
            frame.load(own);
            self.shared = false;
        }
    }

    /// Applies `step` to `frame` at the head and records it. The caller
    /// makes sure the frame is at the head ([`Timeline::fork`]).
    pub fn record(&mut self, frame: &mut F, step: F::Step) {
        self.fork(frame);
        let work = frame.apply(&step).max(1);
        self.push(frame, step, work);
    }

    /// Records a step `frame` has already applied at the head (a sample
    /// load runs over several ticks before it is one step).
    pub fn push(&mut self, frame: &F, step: F::Step, work: u64) {
        let work = work.max(1);
        self.steps.push(step);
        let total = self.work_before.last().copied().unwrap_or(0) + work;
        self.work_before.push(total);
        self.cursor = self.steps.len();
        self.version += 1;
        let last = self.snapshots.keys().next_back().copied().unwrap_or(0);
        let weight = frame.weight();
        let gap = self.work(last, self.cursor);
        if gap >= MIN_GAP.max(weight / COPY_PER_WORK) {
            self.snapshots.insert(
                self.cursor,
                Snapshot {
                    frame: frame.deep_copy(),
                    weight,
                },
            );
            self.trim();
        }
    }

    /// Drops snapshots until their weight fits [`MAX_WEIGHT`], each time
    /// the one whose removal makes the longest replay through it shortest.
    fn trim(&mut self) {
        while self.snapshot_weight() > MAX_WEIGHT && self.snapshots.len() > 1 {
            let positions = self.snapshot_positions();
            let end = self.steps.len();
            let mut best: Option<(u64, usize)> = None;
            // Never the first (step 0): every replay can start there.
            for (i, &pos) in positions.iter().enumerate().skip(1) {
                let prev = positions[i - 1];
                let next = positions.get(i + 1).copied().unwrap_or(end);
                let gap = self.work(prev, next);
                if best.is_none_or(|(g, _)| gap < g) {
                    best = Some((gap, pos));
                }
            }
            let Some((_, pos)) = best else { break };
            self.snapshots.remove(&pos);
        }
    }

    /// Shows the frame after `target` steps (clamped to the end); returns
    /// false when it already was.
    pub fn seek(&mut self, frame: &mut F, target: usize) -> bool {
        let end = self.steps.len();
        let target = target.min(end);
        if target == self.cursor {
            return false;
        }
        if self.cursor == end && self.head.is_none() && !self.shared {
            self.head = Some(frame.shallow_copy());
        }
        self.version += 1;
        if target == end {
            if let Some(head) = self.head.take() {
                frame.load(head);
                self.cursor = end;
                self.shared = false;
                return true;
            }
        }
        let (&from, snapshot) = self
            .snapshots
            .range(..=target)
            .next_back()
            .expect("the snapshot at step 0 is never removed");
        let from_snapshot = if from == target {
            0
        } else {
            snapshot.weight / COPY_PER_WORK + self.work(from, target)
        };
        let forward = (!self.shared && self.cursor < target && self.cursor >= from)
            .then(|| self.work(self.cursor, target));
        match forward {
            Some(cost) if cost <= from_snapshot => {
                self.replay(frame, self.cursor, target);
            }
            _ if from == target => {
                frame.load(snapshot.frame.shallow_copy());
                self.shared = true;
            }
            _ => {
                frame.load(snapshot.frame.deep_copy());
                self.shared = false;
                self.replay(frame, from, target);
            }
        }
        self.cursor = target;
        if target == end {
            // Whatever was parked is now the same frame, rebuilt.
            self.head = None;
        }
        true
    }

    fn replay(&self, frame: &mut F, from: usize, to: usize) {
        for step in &self.steps[from..to] {
            frame.apply(step);
        }
    }

    /// Makes the shown step the last one: later steps, their snapshots and
    /// the parked head are dropped, and the frame becomes safe to change.
    /// Returns how many steps were dropped.
    pub fn fork(&mut self, frame: &mut F) -> usize {
        self.ensure_owned(frame);
        let end = self.steps.len();
        if self.cursor == end {
            return 0;
        }
        let dropped = end - self.cursor;
        self.steps.truncate(self.cursor);
        self.work_before.truncate(self.cursor + 1);
        self.snapshots.split_off(&(self.cursor + 1));
        self.head = None;
        self.version += 1;
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    thread_local! {
        static DEEP_COPIES: Cell<usize> = const { Cell::new(0) };
        static APPLIED: Cell<usize> = const { Cell::new(0) };
    }

    /// A list of numbers shared through an `Rc<RefCell>`, like the app's
    /// world: a shallow copy shares it, so writing through a frame that
    /// shares a snapshot would change the snapshot (the tests catch that).
    struct Nums {
        data: Rc<RefCell<Vec<u64>>>,
        /// Weight per number (to test the copy cost).
        heavy: u64,
    }

    /// Push a number, or push `n` numbers (a heavy step).
    #[derive(Debug, Clone, PartialEq)]
    enum Op {
        Push(u64),
        Bulk(u64),
    }

    impl Frame for Nums {
        type Step = Op;
        fn apply(&mut self, step: &Op) -> u64 {
            APPLIED.with(|a| a.set(a.get() + 1));
            let mut data = self.data.borrow_mut();
            match step {
                Op::Push(n) => {
                    data.push(*n);
                    1
                }
                Op::Bulk(n) => {
                    data.extend(0..*n);
                    *n
                }
            }
        }
        fn deep_copy(&self) -> Self {
            DEEP_COPIES.with(|c| c.set(c.get() + 1));
            Nums {
                data: Rc::new(RefCell::new(self.data.borrow().clone())),
                heavy: self.heavy,
            }
        }
        fn shallow_copy(&self) -> Self {
            Nums {
                data: self.data.clone(),
                heavy: self.heavy,
            }
        }
        fn load(&mut self, other: Self) {
            *self = other;
        }
        fn weight(&self) -> u64 {
            self.data.borrow().len() as u64 * self.heavy
        }
    }

    fn nums() -> Nums {
        Nums {
            data: Rc::new(RefCell::new(Vec::new())),
            heavy: 1,
        }
    }

    fn counters() -> (usize, usize) {
        (DEEP_COPIES.with(Cell::get), APPLIED.with(Cell::get))
    }

    fn contents(frame: &Nums) -> Vec<u64> {
        frame.data.borrow().clone()
    }

    /// Records pushes of 1..=n.
    fn recorded(n: u64) -> (Timeline<Nums>, Nums) {
        let mut frame = nums();
        let mut timeline = Timeline::new(&frame);
        for i in 1..=n {
            timeline.record(&mut frame, Op::Push(i));
        }
        (timeline, frame)
    }

    #[test]
    fn every_step_can_be_shown() {
        let (mut timeline, mut frame) = recorded(300);
        assert_eq!(timeline.len(), 300);
        assert!(timeline.at_head());
        // Snapshots every MIN_GAP steps while the data is small.
        assert_eq!(timeline.snapshot_positions(), vec![0, 64, 128, 192, 256]);
        for target in [0, 1, 63, 64, 65, 200, 299, 300, 150, 0, 300] {
            assert!(timeline.seek(&mut frame, target) || timeline.cursor() == target);
            assert_eq!(contents(&frame), (1..=target as u64).collect::<Vec<_>>());
            assert_eq!(timeline.cursor(), target);
        }
        assert!(!timeline.seek(&mut frame, 300));
        // Past the end is the end.
        timeline.seek(&mut frame, 10);
        timeline.seek(&mut frame, 1_000);
        assert_eq!(timeline.cursor(), 300);
    }

    #[test]
    fn snapshots_are_never_changed_by_what_is_shown() {
        let (mut timeline, mut frame) = recorded(200);
        // Land exactly on a snapshot (shared), then change the frame the
        // way the app does: ensure_owned first.
        timeline.seek(&mut frame, 64);
        timeline.ensure_owned(&mut frame);
        frame.data.borrow_mut().push(999);
        timeline.seek(&mut frame, 10);
        timeline.seek(&mut frame, 64);
        assert_eq!(contents(&frame), (1..=64).collect::<Vec<_>>());
        // Stepping forward from a shared frame copies first.
        timeline.seek(&mut frame, 65);
        timeline.seek(&mut frame, 64);
        assert_eq!(contents(&frame), (1..=64).collect::<Vec<_>>());
    }

    #[test]
    fn the_head_is_parked_not_copied() {
        let (mut timeline, mut frame) = recorded(10);
        let head = frame.data.clone();
        let (copies, _) = counters();
        timeline.seek(&mut frame, 3);
        assert_eq!(contents(&frame), vec![1, 2, 3]);
        timeline.seek(&mut frame, 10);
        // The very same data is back, and only step 0 was copied once.
        assert!(Rc::ptr_eq(&frame.data, &head));
        assert_eq!(counters().0 - copies, 1);
    }

    #[test]
    fn stepping_forward_replays_in_place() {
        let (mut timeline, mut frame) = recorded(60);
        timeline.seek(&mut frame, 5);
        let (copies, applied) = counters();
        for target in 6..=40 {
            timeline.seek(&mut frame, target);
        }
        let (copies2, applied2) = counters();
        assert_eq!(copies2, copies, "no copy while stepping forward");
        assert_eq!(applied2 - applied, 35, "one step replayed per step");
        assert_eq!(contents(&frame), (1..=40).collect::<Vec<_>>());
    }

    #[test]
    fn fork_discards_the_future() {
        let (mut timeline, mut frame) = recorded(150);
        timeline.seek(&mut frame, 70);
        assert_eq!(timeline.fork(&mut frame), 80);
        assert_eq!(timeline.len(), 70);
        assert!(timeline.at_head());
        assert_eq!(timeline.snapshot_positions(), vec![0, 64]);
        timeline.record(&mut frame, Op::Push(1000));
        assert_eq!(timeline.len(), 71);
        timeline.seek(&mut frame, 69);
        timeline.seek(&mut frame, 71);
        let mut want: Vec<u64> = (1..=70).collect();
        want.push(1000);
        assert_eq!(contents(&frame), want);
        // Forking at the head drops nothing.
        assert_eq!(timeline.fork(&mut frame), 0);
    }

    #[test]
    fn recording_in_the_past_forks() {
        let (mut timeline, mut frame) = recorded(20);
        timeline.seek(&mut frame, 5);
        timeline.record(&mut frame, Op::Push(77));
        assert_eq!(timeline.len(), 6);
        assert_eq!(contents(&frame), vec![1, 2, 3, 4, 5, 77]);
        timeline.seek(&mut frame, 0);
        timeline.seek(&mut frame, 6);
        assert_eq!(contents(&frame), vec![1, 2, 3, 4, 5, 77]);
    }

    #[test]
    fn a_heavy_step_is_followed_by_a_snapshot_and_big_data_spaces_them() {
        let mut frame = nums();
        let mut timeline = Timeline::new(&frame);
        timeline.record(&mut frame, Op::Push(1));
        timeline.record(&mut frame, Op::Bulk(100_000));
        assert_eq!(timeline.snapshot_positions(), vec![0, 2]);
        // With 100,000 numbers a snapshot costs about 6,250 steps' work.
        for i in 0..7_000 {
            timeline.record(&mut frame, Op::Push(i));
        }
        // After k pushes a snapshot is due when k >= (100,001 + k) / 16.
        assert_eq!(timeline.snapshot_positions(), vec![0, 2, 2 + 6_666]);
        // Seeking to just after the load copies that snapshot and replays
        // a few steps, never the load itself.
        let (_, applied) = counters();
        timeline.seek(&mut frame, 5);
        assert_eq!(counters().1 - applied, 3);
        assert_eq!(frame.data.borrow().len(), 100_004);
        // Landing on the snapshot itself copies nothing.
        let (copies, _) = counters();
        timeline.seek(&mut frame, 2);
        assert_eq!(counters().0, copies);
        assert_eq!(frame.data.borrow().len(), 100_001);
    }

    #[test]
    fn the_snapshot_budget_is_kept() {
        let mut frame = Nums {
            data: Rc::new(RefCell::new(Vec::new())),
            heavy: 1,
        };
        let mut timeline = Timeline::new(&frame);
        // Each bulk step is heavy enough to be followed by a snapshot.
        for _ in 0..12 {
            timeline.record(&mut frame, Op::Bulk(20_000));
        }
        assert!(timeline.snapshot_weight() <= MAX_WEIGHT);
        assert_eq!(timeline.snapshot_positions()[0], 0);
        // Still correct everywhere.
        for target in (0..=12).rev() {
            timeline.seek(&mut frame, target);
            assert_eq!(frame.data.borrow().len(), target * 20_000);
        }
    }

    #[test]
    fn a_forward_seek_from_before_the_nearest_snapshot_restarts_there() {
        let (mut timeline, mut frame) = recorded(200);
        timeline.seek(&mut frame, 1);
        let (copies, applied) = counters();
        // 1 → 190: the snapshot at 128 is closer than replaying 189 steps.
        timeline.seek(&mut frame, 190);
        let (copies2, applied2) = counters();
        assert_eq!(copies2 - copies, 1);
        assert_eq!(applied2 - applied, 190 - 128);
        assert_eq!(contents(&frame), (1..=190).collect::<Vec<_>>());
    }
}
