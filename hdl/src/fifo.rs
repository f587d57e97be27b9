//! A first-word-fall-through FIFO with a synchronous reset.
//!
//! rust-hdl's `SynchronousFIFO` has no reset; the engine's must come back
//! empty after a reset, so this one keeps its pointers in resettable DFFs.
//! The storage is a registered-read RAM, so a pushed word is visible at the
//! head two cycles later (the write pointer seen by the read side is delayed
//! one cycle to cover the RAM's read latency).

use rust_hdl::prelude::*;

/// FIFO of `2^N` words of type `D` (`NP1` must be `N + 1`).
#[derive(LogicBlock)]
pub struct Fifo<D: Synth, const N: usize, const NP1: usize> {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset: empties the FIFO.
    pub reset: Signal<In, Bit>,
    /// Push `data_in` this cycle (ignored when full).
    pub push: Signal<In, Bit>,
    /// Word to push.
    pub data_in: Signal<In, D>,
    /// Pop the head this cycle (ignored when empty).
    pub pop: Signal<In, Bit>,
    /// The head word, valid when `!empty`.
    pub data_out: Signal<Out, D>,
    /// No word is visible at the head.
    pub empty: Signal<Out, Bit>,
    /// No room for another push.
    pub full: Signal<Out, Bit>,
    /// Nothing is stored, not even a word pushed too recently to be seen.
    pub drained: Signal<Out, Bit>,
    ram: RAM<D, N>,
    write_ptr: DFF<Bits<NP1>>,
    write_ptr_seen: DFF<Bits<NP1>>,
    read_ptr: DFF<Bits<NP1>>,
    used: Signal<Local, Bits<NP1>>,
    read_next: Signal<Local, Bits<NP1>>,
    capacity: Constant<Bits<NP1>>,
}

impl<D: Synth, const N: usize, const NP1: usize> Fifo<D, N, NP1> {
    /// A new, empty FIFO.
    pub fn new() -> Self {
        assert_eq!(NP1, N + 1, "Fifo<D, N, NP1> needs NP1 == N + 1");
        Self {
            capacity: Constant::new(bits::<NP1>(1 << N)),
            clock: Default::default(),
            reset: Default::default(),
            push: Default::default(),
            data_in: Default::default(),
            pop: Default::default(),
            data_out: Default::default(),
            empty: Default::default(),
            full: Default::default(),
            drained: Default::default(),
            ram: Default::default(),
            write_ptr: Default::default(),
            write_ptr_seen: Default::default(),
            read_ptr: Default::default(),
            used: Default::default(),
            read_next: Default::default(),
        }
    }
}

impl<D: Synth, const N: usize, const NP1: usize> Default for Fifo<D, N, NP1> {
    fn default() -> Self {
        Self::new()
    }
}

impl<D: Synth, const N: usize, const NP1: usize> Logic for Fifo<D, N, NP1> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, write_ptr, write_ptr_seen, read_ptr);
        self.ram.write_clock.next = self.clock.val();
        self.ram.read_clock.next = self.clock.val();
        self.used.next = self.write_ptr.q.val() - self.read_ptr.q.val();
        self.full.next = self.used.val() == self.capacity.val();
        self.empty.next = self.read_ptr.q.val() == self.write_ptr_seen.q.val();
        self.drained.next = self.read_ptr.q.val() == self.write_ptr.q.val();
        self.write_ptr_seen.d.next = self.write_ptr.q.val();
        // Write side.
        self.ram.write_enable.next = self.push.val() && !self.full.val();
        self.ram.write_address.next = bit_cast::<N, NP1>(self.write_ptr.q.val());
        self.ram.write_data.next = self.data_in.val();
        if self.push.val() && !self.full.val() {
            self.write_ptr.d.next = self.write_ptr.q.val() + 1;
        }
        // Read side: address the RAM with the pointer as it will be next cycle,
        // so the registered read lands on the new head.
        self.read_next.next = self.read_ptr.q.val();
        if self.pop.val() && !self.empty.val() {
            self.read_next.next = self.read_ptr.q.val() + 1;
        }
        self.read_ptr.d.next = self.read_next.val();
        self.ram.read_address.next = bit_cast::<N, NP1>(self.read_next.val());
        self.data_out.next = self.ram.read_data.val();
        if self.reset.val() {
            self.write_ptr.d.next = 0.into();
            self.write_ptr_seen.d.next = 0.into();
            self.read_ptr.d.next = 0.into();
        }
    }
}
