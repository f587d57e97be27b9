//! What the simulated card did, cycle by cycle, for timelines: host register
//! writes, the soft core's bus traffic, descriptors and the engine's bursts,
//! and interrupts. Recorded only while tracing is on.

use crate::memory::{MasterOut, SlaveOut};
pub use tiledma_contract::trace::{CardEvent, CardEventKind};

/// The card's outputs and port inputs of one cycle, as the recorder sees them.
pub(crate) struct CycleView<'a> {
    pub register_write: Option<(u32, u32)>,
    pub h_in: &'a SlaveOut,
    pub h_out: &'a MasterOut,
    pub m_in: &'a SlaveOut,
    pub m_out: &'a MasterOut,
    /// Trace strobes: issued (bit 0), started (1), done (2).
    pub strobes: u8,
    pub irq_rose: bool,
}

/// Appends the events of one cycle to `out`.
pub(crate) fn record(cycle: u64, v: &CycleView, out: &mut Vec<CardEvent>) {
    let mut push = |kind| out.push(CardEvent { cycle, kind });
    if let Some((offset, value)) = v.register_write {
        push(CardEventKind::RegisterWrite { offset, value });
    }
    if v.h_out.ar_valid != 0 && v.h_in.ar_ready != 0 {
        push(CardEventKind::BridgeRead {
            addr: v.h_out.ar_addr,
        });
    }
    if v.h_out.aw_valid != 0 && v.h_in.aw_ready != 0 {
        push(CardEventKind::BridgeWrite {
            addr: v.h_out.aw_addr,
        });
    }
    if v.strobes & 1 != 0 {
        push(CardEventKind::DescriptorIssued);
    }
    if v.strobes & 2 != 0 {
        push(CardEventKind::DescriptorStarted);
    }
    if v.strobes & 4 != 0 {
        push(CardEventKind::DescriptorDone);
    }
    if v.m_out.ar_valid != 0 && v.m_in.ar_ready != 0 {
        push(CardEventKind::EngineRead {
            addr: v.m_out.ar_addr,
            beats: v.m_out.ar_len as u32 + 1,
        });
    }
    if v.m_out.aw_valid != 0 && v.m_in.aw_ready != 0 {
        push(CardEventKind::EngineWrite {
            addr: v.m_out.aw_addr,
            beats: v.m_out.aw_len as u32 + 1,
        });
    }
    if v.m_in.b_valid != 0 && v.m_out.b_ready != 0 {
        push(CardEventKind::EngineWriteResponse);
    }
    if v.irq_rose {
        push(CardEventKind::Interrupt);
    }
}
