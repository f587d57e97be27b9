//! The soft core's window on the card's DMA address space (host memory by
//! IOVA, card memory): one 64-byte, 64-byte-aligned beat per access, on its
//! own single-beat AXI master port. The firmware reads command records and
//! writes completion records with it.

use rust_hdl::prelude::*;

/// Bridge state.
#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum BridgeState {
    /// No access in progress.
    Idle,
    /// Offering the read address.
    ReadAddr,
    /// Waiting for the read beat.
    ReadData,
    /// Offering write address and data.
    Write,
    /// Waiting for the write response.
    WriteResp,
}

/// CPU-driven single-beat AXI master.
#[derive(LogicBlock, Default)]
pub struct Bridge {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset.
    pub reset: Signal<In, Bit>,
    /// CPU access to this block this cycle.
    pub cpu_sel: Signal<In, Bit>,
    /// The access is a write.
    pub cpu_we: Signal<In, Bit>,
    /// Word offset of the access.
    pub cpu_addr: Signal<In, Bits<10>>,
    /// Write data.
    pub cpu_wdata: Signal<In, Bits<32>>,
    /// Read data, the cycle after the access.
    pub cpu_rdata: Signal<Out, Bits<32>>,
    /// AR valid.
    pub h_ar_valid: Signal<Out, Bit>,
    /// AR ready.
    pub h_ar_ready: Signal<In, Bit>,
    /// AR address.
    pub h_ar_addr: Signal<Out, Bits<64>>,
    /// R valid.
    pub h_r_valid: Signal<In, Bit>,
    /// R ready.
    pub h_r_ready: Signal<Out, Bit>,
    /// R data.
    pub h_r_data: Signal<In, Bits<512>>,
    /// R response.
    pub h_r_resp: Signal<In, Bits<2>>,
    /// AW valid.
    pub h_aw_valid: Signal<Out, Bit>,
    /// AW ready.
    pub h_aw_ready: Signal<In, Bit>,
    /// AW address.
    pub h_aw_addr: Signal<Out, Bits<64>>,
    /// W valid.
    pub h_w_valid: Signal<Out, Bit>,
    /// W ready.
    pub h_w_ready: Signal<In, Bit>,
    /// W data.
    pub h_w_data: Signal<Out, Bits<512>>,
    /// W byte strobes.
    pub h_w_strb: Signal<Out, Bits<64>>,
    /// B valid.
    pub h_b_valid: Signal<In, Bit>,
    /// B ready.
    pub h_b_ready: Signal<Out, Bit>,
    /// B response.
    pub h_b_resp: Signal<In, Bits<2>>,
    d0: DFF<Bits<32>>,
    d1: DFF<Bits<32>>,
    d2: DFF<Bits<32>>,
    d3: DFF<Bits<32>>,
    d4: DFF<Bits<32>>,
    d5: DFF<Bits<32>>,
    d6: DFF<Bits<32>>,
    d7: DFF<Bits<32>>,
    d8: DFF<Bits<32>>,
    d9: DFF<Bits<32>>,
    d10: DFF<Bits<32>>,
    d11: DFF<Bits<32>>,
    d12: DFF<Bits<32>>,
    d13: DFF<Bits<32>>,
    d14: DFF<Bits<32>>,
    d15: DFF<Bits<32>>,
    addr_lo: DFF<Bits<32>>,
    addr_hi: DFF<Bits<32>>,
    strb_lo: DFF<Bits<32>>,
    strb_hi: DFF<Bits<32>>,
    state: DFF<BridgeState>,
    aw_done: DFF<Bit>,
    w_done: DFF<Bit>,
    error: DFF<Bit>,
    rdata: DFF<Bits<32>>,
    addr: Signal<Local, Bits<64>>,
    aw_fire: Signal<Local, Bit>,
    w_fire: Signal<Local, Bit>,
}

impl Logic for Bridge {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13, d14, d15,
            addr_lo, addr_hi, strb_lo, strb_hi, state, aw_done, w_done, error, rdata
        );
        self.addr.next = (((bit_cast::<64, 32>(self.addr_hi.q.val()) << 32)
            | bit_cast::<64, 32>(self.addr_lo.q.val()))
            >> 6)
            << 6;
        self.h_ar_addr.next = self.addr.val();
        self.h_aw_addr.next = self.addr.val();
        self.h_w_data.next = bit_cast::<512, 32>(self.d0.q.val())
            | (bit_cast::<512, 32>(self.d1.q.val()) << 32)
            | (bit_cast::<512, 32>(self.d2.q.val()) << 64)
            | (bit_cast::<512, 32>(self.d3.q.val()) << 96)
            | (bit_cast::<512, 32>(self.d4.q.val()) << 128)
            | (bit_cast::<512, 32>(self.d5.q.val()) << 160)
            | (bit_cast::<512, 32>(self.d6.q.val()) << 192)
            | (bit_cast::<512, 32>(self.d7.q.val()) << 224)
            | (bit_cast::<512, 32>(self.d8.q.val()) << 256)
            | (bit_cast::<512, 32>(self.d9.q.val()) << 288)
            | (bit_cast::<512, 32>(self.d10.q.val()) << 320)
            | (bit_cast::<512, 32>(self.d11.q.val()) << 352)
            | (bit_cast::<512, 32>(self.d12.q.val()) << 384)
            | (bit_cast::<512, 32>(self.d13.q.val()) << 416)
            | (bit_cast::<512, 32>(self.d14.q.val()) << 448)
            | (bit_cast::<512, 32>(self.d15.q.val()) << 480);
        self.h_w_strb.next = (bit_cast::<64, 32>(self.strb_hi.q.val()) << 32)
            | bit_cast::<64, 32>(self.strb_lo.q.val());
        self.h_ar_valid.next = self.state.q.val() == BridgeState::ReadAddr;
        self.h_r_ready.next = self.state.q.val() == BridgeState::ReadData;
        self.h_aw_valid.next = (self.state.q.val() == BridgeState::Write) && !self.aw_done.q.val();
        self.h_w_valid.next = (self.state.q.val() == BridgeState::Write) && !self.w_done.q.val();
        self.h_b_ready.next = self.state.q.val() == BridgeState::WriteResp;
        self.aw_fire.next = self.h_aw_valid.val() && self.h_aw_ready.val();
        self.w_fire.next = self.h_w_valid.val() && self.h_w_ready.val();
        match self.state.q.val() {
            BridgeState::ReadAddr => {
                if self.h_ar_ready.val() {
                    self.state.d.next = BridgeState::ReadData;
                }
            }
            BridgeState::ReadData => {
                if self.h_r_valid.val() {
                    self.d0.d.next = self.h_r_data.val().get_bits::<32>(0);
                    self.d1.d.next = self.h_r_data.val().get_bits::<32>(32);
                    self.d2.d.next = self.h_r_data.val().get_bits::<32>(64);
                    self.d3.d.next = self.h_r_data.val().get_bits::<32>(96);
                    self.d4.d.next = self.h_r_data.val().get_bits::<32>(128);
                    self.d5.d.next = self.h_r_data.val().get_bits::<32>(160);
                    self.d6.d.next = self.h_r_data.val().get_bits::<32>(192);
                    self.d7.d.next = self.h_r_data.val().get_bits::<32>(224);
                    self.d8.d.next = self.h_r_data.val().get_bits::<32>(256);
                    self.d9.d.next = self.h_r_data.val().get_bits::<32>(288);
                    self.d10.d.next = self.h_r_data.val().get_bits::<32>(320);
                    self.d11.d.next = self.h_r_data.val().get_bits::<32>(352);
                    self.d12.d.next = self.h_r_data.val().get_bits::<32>(384);
                    self.d13.d.next = self.h_r_data.val().get_bits::<32>(416);
                    self.d14.d.next = self.h_r_data.val().get_bits::<32>(448);
                    self.d15.d.next = self.h_r_data.val().get_bits::<32>(480);
                    self.error.d.next = self.h_r_resp.val().any();
                    self.state.d.next = BridgeState::Idle;
                }
            }
            BridgeState::Write => {
                if self.aw_fire.val() {
                    self.aw_done.d.next = true;
                }
                if self.w_fire.val() {
                    self.w_done.d.next = true;
                }
                if (self.aw_done.q.val() || self.aw_fire.val())
                    && (self.w_done.q.val() || self.w_fire.val())
                {
                    self.state.d.next = BridgeState::WriteResp;
                }
            }
            BridgeState::WriteResp => {
                if self.h_b_valid.val() {
                    self.error.d.next = self.h_b_resp.val().any();
                    self.state.d.next = BridgeState::Idle;
                }
            }
            _ => {}
        }
        self.cpu_rdata.next = self.rdata.q.val();
        if self.cpu_sel.val() {
            self.rdata.d.next = 0.into();
            match self.cpu_addr.val().index() {
                0 => self.rdata.d.next = self.d0.q.val(),
                1 => self.rdata.d.next = self.d1.q.val(),
                2 => self.rdata.d.next = self.d2.q.val(),
                3 => self.rdata.d.next = self.d3.q.val(),
                4 => self.rdata.d.next = self.d4.q.val(),
                5 => self.rdata.d.next = self.d5.q.val(),
                6 => self.rdata.d.next = self.d6.q.val(),
                7 => self.rdata.d.next = self.d7.q.val(),
                8 => self.rdata.d.next = self.d8.q.val(),
                9 => self.rdata.d.next = self.d9.q.val(),
                10 => self.rdata.d.next = self.d10.q.val(),
                11 => self.rdata.d.next = self.d11.q.val(),
                12 => self.rdata.d.next = self.d12.q.val(),
                13 => self.rdata.d.next = self.d13.q.val(),
                14 => self.rdata.d.next = self.d14.q.val(),
                15 => self.rdata.d.next = self.d15.q.val(),
                21 => {
                    self.rdata.d.next =
                        bit_cast::<32, 1>((self.state.q.val() != BridgeState::Idle).into())
                            | (bit_cast::<32, 1>(self.error.q.val().into()) << 1);
                }
                _ => {}
            }
        }
        if self.cpu_sel.val() && self.cpu_we.val() && (self.state.q.val() == BridgeState::Idle) {
            match self.cpu_addr.val().index() {
                0 => self.d0.d.next = self.cpu_wdata.val(),
                1 => self.d1.d.next = self.cpu_wdata.val(),
                2 => self.d2.d.next = self.cpu_wdata.val(),
                3 => self.d3.d.next = self.cpu_wdata.val(),
                4 => self.d4.d.next = self.cpu_wdata.val(),
                5 => self.d5.d.next = self.cpu_wdata.val(),
                6 => self.d6.d.next = self.cpu_wdata.val(),
                7 => self.d7.d.next = self.cpu_wdata.val(),
                8 => self.d8.d.next = self.cpu_wdata.val(),
                9 => self.d9.d.next = self.cpu_wdata.val(),
                10 => self.d10.d.next = self.cpu_wdata.val(),
                11 => self.d11.d.next = self.cpu_wdata.val(),
                12 => self.d12.d.next = self.cpu_wdata.val(),
                13 => self.d13.d.next = self.cpu_wdata.val(),
                14 => self.d14.d.next = self.cpu_wdata.val(),
                15 => self.d15.d.next = self.cpu_wdata.val(),
                16 => self.addr_lo.d.next = self.cpu_wdata.val(),
                17 => self.addr_hi.d.next = self.cpu_wdata.val(),
                18 => self.strb_lo.d.next = self.cpu_wdata.val(),
                19 => self.strb_hi.d.next = self.cpu_wdata.val(),
                20 => {
                    self.error.d.next = false;
                    self.aw_done.d.next = false;
                    self.w_done.d.next = false;
                    if self.cpu_wdata.val() == 1 {
                        self.state.d.next = BridgeState::ReadAddr;
                    }
                    if self.cpu_wdata.val() == 2 {
                        self.state.d.next = BridgeState::Write;
                    }
                }
                _ => {}
            }
        }
        if self.reset.val() {
            self.state.d.next = BridgeState::Idle;
            self.error.d.next = false;
        }
    }
}
