//! Timelines: what a card did and when, in card cycles. The simulated card
//! records these from its ports (`tiledma_sim::card_trace`); the driver
//! joins them with its own marks into a per-command trace.

/// One thing the card did, at a card cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardEvent {
    /// Card cycle (the count the `CYCLES` registers give).
    pub cycle: u64,
    /// What happened.
    pub kind: CardEventKind,
}

/// The kinds of [`CardEvent`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardEventKind {
    /// The host wrote a BAR0 register (a doorbell, for one).
    RegisterWrite {
        /// BAR0 offset.
        offset: u32,
        /// Value written.
        value: u32,
    },
    /// The soft core's bridge read a beat of host memory (a command fetch).
    BridgeRead {
        /// Bus address.
        addr: u64,
    },
    /// The soft core's bridge wrote a beat (a completion record).
    BridgeWrite {
        /// Bus address.
        addr: u64,
    },
    /// The firmware handed the engine a descriptor.
    DescriptorIssued,
    /// The engine started running a descriptor.
    DescriptorStarted,
    /// The engine handed the firmware a descriptor's status.
    DescriptorDone,
    /// The engine issued a read burst.
    EngineRead {
        /// First byte address.
        addr: u64,
        /// Beats.
        beats: u32,
    },
    /// The engine issued a write burst.
    EngineWrite {
        /// First byte address.
        addr: u64,
        /// Beats.
        beats: u32,
    },
    /// A write response reached the engine.
    EngineWriteResponse,
    /// The interrupt line rose.
    Interrupt,
}
