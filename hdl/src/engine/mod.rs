//! The copy engine: executes [`tiledma_contract::EngineDescriptor`]s over an
//! AXI4-style memory master port.
//!
//! ```text
//!  desc ─▶ desc FIFO ─▶ Walker ─┬─▶ rows(rd) ─▶ BurstIssuer ─▶ AR ──▶ memory
//!   (2 × SideWalk: tilings)     ├─▶ rows(aw) ─▶ BurstIssuer ─▶ AW ──▶ memory
//!                               └─▶ rows(wd) ─▶ WriteData ───▶ W  ──▶ memory
//!  memory ─▶ R ─▶ read buffer (256 beats) ──────▶ WriteData
//!  memory ─▶ B ─▶ outstanding-burst count, error ─▶ status ─▶ stat
//! ```
//!
//! The walker cuts the region into pieces contiguous on both sides (rows of
//! linear surfaces, runs inside tiles); the rest of the engine treats each
//! piece as a row. Block mode (64-byte bus, a Y or Tile4 side, whole
//! tile-aligned blocks; `docs/engine.md`) replaces the walker with two
//! [`BlockSide`]s that emit each side's long runs, and sends the read beats
//! through the [`Reorder`] staging RAM instead of straight to `WriteData`.
//! Reads are issued only when the read buffer has room for all their beats,
//! so R is never back-pressured and up to 256 beats are in flight. One
//! descriptor runs at a time: its status goes into an 8-entry status queue
//! when every row is written and every write response is back, and the next
//! descriptor starts without waiting for the status to be taken. A bus error ends the descriptor within a
//! burst or so: no new reads, writes or rows start, write bursts already
//! announced on AW are completed with no strobes, read beats still in flight
//! are drained, and the status carries the error; the next descriptor then
//! runs normally.

mod burst;
mod issue;
mod realign;
mod reorder;
mod side;
mod tilewalk;
mod walk;

pub use burst::BurstSplit;
pub use issue::BurstIssuer;
pub use realign::WriteData;
pub use reorder::Reorder;
pub use side::SideWalk;
pub use tilewalk::BlockSide;
pub use walk::Walker;

use crate::fifo::Fifo;
use rust_hdl::prelude::*;
use tiledma_contract::bus::READ_BUFFER_BEATS;
use tiledma_contract::EngineError;

/// Write bursts that may await their response at once.
const MAX_WRITES_OUTSTANDING: u64 = 32;

/// Engine control state.
#[derive(Copy, Clone, Debug, PartialEq, Eq, LogicState)]
pub enum EngineState {
    /// Waiting for a descriptor.
    Idle,
    /// Running a descriptor (its status goes to the status queue when done).
    Busy,
}

/// The copy engine with a `D`-bit data bus, `S = D / 8` byte strobes and
/// `C = D / 4` bits per staging cell (block mode; used at `S = 64` only).
#[derive(LogicBlock)]
pub struct CopyEngine<const D: usize, const S: usize, const C: usize> {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset (hold for at least one cycle): engine idle, queues
    /// empty, counters zero. Bursts in flight on the bus are forgotten, so
    /// the memory side must be reset with it.
    pub reset: Signal<In, Bit>,
    // ---- descriptor input ----
    /// Descriptor valid.
    pub desc_valid: Signal<In, Bit>,
    /// Descriptor ready (the 4-entry descriptor queue has room).
    pub desc_ready: Signal<Out, Bit>,
    /// See [`tiledma_contract::EngineDescriptor`].
    pub desc_src_addr: Signal<In, Bits<64>>,
    /// Destination address.
    pub desc_dst_addr: Signal<In, Bits<64>>,
    /// Source slice pitch.
    pub desc_src_slice_pitch: Signal<In, Bits<64>>,
    /// Destination slice pitch.
    pub desc_dst_slice_pitch: Signal<In, Bits<64>>,
    /// Source row pitch.
    pub desc_src_row_pitch: Signal<In, Bits<32>>,
    /// Destination row pitch.
    pub desc_dst_row_pitch: Signal<In, Bits<32>>,
    /// Bytes per row.
    pub desc_row_bytes: Signal<In, Bits<32>>,
    /// Rows per slice.
    pub desc_rows: Signal<In, Bits<32>>,
    /// Slices.
    pub desc_slices: Signal<In, Bits<32>>,
    /// Tag returned in the status.
    pub desc_tag: Signal<In, Bits<16>>,
    /// Layout word: both sides' tiling and placement.
    pub desc_layout: Signal<In, Bits<32>>,
    // ---- status output ----
    /// Status valid.
    pub stat_valid: Signal<Out, Bit>,
    /// Status ready.
    pub stat_ready: Signal<In, Bit>,
    /// Tag of the finished descriptor.
    pub stat_tag: Signal<Out, Bits<16>>,
    /// [`EngineError`] code.
    pub stat_error: Signal<Out, Bits<8>>,
    // ---- memory master: read address ----
    /// AR valid.
    pub m_ar_valid: Signal<Out, Bit>,
    /// AR ready.
    pub m_ar_ready: Signal<In, Bit>,
    /// AR address (beat-aligned).
    pub m_ar_addr: Signal<Out, Bits<64>>,
    /// AR length: beats - 1.
    pub m_ar_len: Signal<Out, Bits<8>>,
    // ---- memory master: read data ----
    /// R valid.
    pub m_r_valid: Signal<In, Bit>,
    /// R ready (always high: reads are issued only with buffer room).
    pub m_r_ready: Signal<Out, Bit>,
    /// R data.
    pub m_r_data: Signal<In, Bits<D>>,
    /// R response (0 OKAY, 2 SLVERR, 3 DECERR).
    pub m_r_resp: Signal<In, Bits<2>>,
    // ---- memory master: write address ----
    /// AW valid.
    pub m_aw_valid: Signal<Out, Bit>,
    /// AW ready.
    pub m_aw_ready: Signal<In, Bit>,
    /// AW address (beat-aligned).
    pub m_aw_addr: Signal<Out, Bits<64>>,
    /// AW length: beats - 1.
    pub m_aw_len: Signal<Out, Bits<8>>,
    // ---- memory master: write data ----
    /// W valid.
    pub m_w_valid: Signal<Out, Bit>,
    /// W ready.
    pub m_w_ready: Signal<In, Bit>,
    /// W data.
    pub m_w_data: Signal<Out, Bits<D>>,
    /// W byte strobes.
    pub m_w_strb: Signal<Out, Bits<S>>,
    /// W last beat of the burst.
    pub m_w_last: Signal<Out, Bit>,
    // ---- memory master: write response ----
    /// B valid.
    pub m_b_valid: Signal<In, Bit>,
    /// B ready (always high).
    pub m_b_ready: Signal<Out, Bit>,
    /// B response.
    pub m_b_resp: Signal<In, Bits<2>>,
    // ---- counters ----
    /// Cycles spent running a descriptor.
    pub cnt_busy_cycles: Signal<Out, Bits<64>>,
    /// Bytes of rows written in full without an error.
    pub cnt_bytes: Signal<Out, Bits<64>>,
    /// Descriptors finished (status accepted), failed ones included.
    pub cnt_descriptors: Signal<Out, Bits<64>>,
    /// Busy cycles in which no write beat was accepted.
    pub cnt_stall_cycles: Signal<Out, Bits<64>>,
    /// Nothing queued, nothing running.
    pub idle: Signal<Out, Bit>,
    /// A descriptor starts running this cycle (for traces).
    pub started: Signal<Out, Bit>,

    desc_fifo: Fifo<Bits<512>, 2, 3>,
    stat_fifo: Fifo<Bits<24>, 3, 4>,
    rowgen: Walker,
    rd_rows: Fifo<Bits<96>, 8, 9>,
    aw_rows: Fifo<Bits<96>, 8, 9>,
    wd_rows: Fifo<Bits<128>, 8, 9>,
    ar: BurstIssuer,
    aw: BurstIssuer,
    wd: WriteData<D, S>,
    read_buf: Fifo<Bits<D>, 8, 9>,
    brd: BlockSide,
    bwr: BlockSide,
    ro: Reorder<D, C>,
    block_mode: DFF<Bit>,
    block_src: DFF<Bits<2>>,
    block_dst: DFF<Bits<2>>,
    block_wide: DFF<Bit>,
    wide_ok: Signal<Local, Bit>,
    eligible: Signal<Local, Bit>,
    src_side_ok: Signal<Local, Bit>,
    dst_side_ok: Signal<Local, Bit>,
    src_place: Signal<Local, Bits<16>>,
    dst_place: Signal<Local, Bits<16>>,
    block_capable: Constant<Bit>,
    read_err: Fifo<Bit, 8, 9>,
    state: DFF<EngineState>,
    tag: DFF<Bits<16>>,
    error: DFF<Bits<8>>,
    reads_reserved: DFF<Bits<32>>,
    writes_outstanding: DFF<Bits<32>>,
    beats_owed: DFF<Bits<32>>,
    aborting: Signal<Local, Bit>,
    drain_pop: Signal<Local, Bit>,
    busy_cycles: DFF<Bits<64>>,
    bytes: DFF<Bits<64>>,
    descriptors: DFF<Bits<64>>,
    stall_cycles: DFF<Bits<64>>,
    reserved_plus: Signal<Local, Bits<32>>,
    outstanding_plus: Signal<Local, Bits<32>>,
    all_done: Signal<Local, Bit>,
    read_buffer_beats: Constant<Bits<32>>,
    max_writes: Constant<Bits<32>>,
    offset_mask: Constant<Bits<64>>,
    err_read: Constant<Bits<8>>,
    err_write: Constant<Bits<8>>,
}

/// The engine with an 8-byte (64-bit) data bus.
pub type CopyEngine8 = CopyEngine<64, 8, 16>;
/// The engine with a 64-byte (512-bit) data bus.
pub type CopyEngine64 = CopyEngine<512, 64, 128>;

impl<const D: usize, const S: usize, const C: usize> CopyEngine<D, S, C> {
    /// An engine without block mode: every descriptor takes the piece
    /// path. The staging RAM is still described but never written or read,
    /// so synthesis removes it with the rest of block mode (checked with
    /// yosys: the same block RAMs and LUTs as an engine without it).
    pub fn without_block_mode() -> Self {
        Self {
            block_capable: Constant::new(false),
            ..Self::new()
        }
    }

    /// A new engine; `S` (bytes per beat) must be a power of two, 8..=64,
    /// `D = 8 S`, `C = D / 4`. Block mode is built in when `S` is 64.
    pub fn new() -> Self {
        assert!(S.is_power_of_two() && (8..=64).contains(&S) && D == 8 * S && D == 4 * C);
        Self {
            clock: Default::default(),
            reset: Default::default(),
            desc_valid: Default::default(),
            desc_ready: Default::default(),
            desc_src_addr: Default::default(),
            desc_dst_addr: Default::default(),
            desc_src_slice_pitch: Default::default(),
            desc_dst_slice_pitch: Default::default(),
            desc_src_row_pitch: Default::default(),
            desc_dst_row_pitch: Default::default(),
            desc_row_bytes: Default::default(),
            desc_rows: Default::default(),
            desc_slices: Default::default(),
            desc_tag: Default::default(),
            desc_layout: Default::default(),
            stat_valid: Default::default(),
            stat_ready: Default::default(),
            stat_tag: Default::default(),
            stat_error: Default::default(),
            m_ar_valid: Default::default(),
            m_ar_ready: Default::default(),
            m_ar_addr: Default::default(),
            m_ar_len: Default::default(),
            m_r_valid: Default::default(),
            m_r_ready: Default::default(),
            m_r_data: Default::default(),
            m_r_resp: Default::default(),
            m_aw_valid: Default::default(),
            m_aw_ready: Default::default(),
            m_aw_addr: Default::default(),
            m_aw_len: Default::default(),
            m_w_valid: Default::default(),
            m_w_ready: Default::default(),
            m_w_data: Default::default(),
            m_w_strb: Default::default(),
            m_w_last: Default::default(),
            m_b_valid: Default::default(),
            m_b_ready: Default::default(),
            m_b_resp: Default::default(),
            cnt_busy_cycles: Default::default(),
            cnt_bytes: Default::default(),
            cnt_descriptors: Default::default(),
            cnt_stall_cycles: Default::default(),
            idle: Default::default(),
            started: Default::default(),
            desc_fifo: Fifo::new(),
            stat_fifo: Fifo::new(),
            rowgen: Default::default(),
            rd_rows: Fifo::new(),
            aw_rows: Fifo::new(),
            wd_rows: Fifo::new(),
            ar: BurstIssuer::new(S),
            aw: BurstIssuer::new(S),
            wd: WriteData::new(),
            read_buf: Fifo::new(),
            brd: Default::default(),
            bwr: Default::default(),
            ro: Reorder::new(),
            block_mode: Default::default(),
            block_src: Default::default(),
            block_dst: Default::default(),
            block_wide: Default::default(),
            wide_ok: Default::default(),
            eligible: Default::default(),
            src_side_ok: Default::default(),
            dst_side_ok: Default::default(),
            src_place: Default::default(),
            dst_place: Default::default(),
            block_capable: Constant::new(S == 64),
            read_err: Fifo::new(),
            state: DFF::default(),
            tag: Default::default(),
            error: Default::default(),
            reads_reserved: Default::default(),
            writes_outstanding: Default::default(),
            beats_owed: Default::default(),
            aborting: Default::default(),
            drain_pop: Default::default(),
            busy_cycles: Default::default(),
            bytes: Default::default(),
            descriptors: Default::default(),
            stall_cycles: Default::default(),
            reserved_plus: Default::default(),
            outstanding_plus: Default::default(),
            all_done: Default::default(),
            read_buffer_beats: Constant::new(bits(READ_BUFFER_BEATS as u64)),
            max_writes: Constant::new(bits(MAX_WRITES_OUTSTANDING)),
            offset_mask: Constant::new(bits(S as u64 - 1)),
            err_read: Constant::new(bits(EngineError::ReadBusError as u64)),
            err_write: Constant::new(bits(EngineError::WriteBusError as u64)),
        }
    }
}

impl<const D: usize, const S: usize, const C: usize> Default for CopyEngine<D, S, C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const D: usize, const S: usize, const C: usize> Logic for CopyEngine<D, S, C> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            state,
            tag,
            error,
            reads_reserved,
            writes_outstanding,
            beats_owed,
            busy_cycles,
            bytes,
            descriptors,
            stall_cycles,
            block_mode,
            block_src,
            block_dst,
            block_wide
        );
        clock!(
            self, clock, desc_fifo, rowgen, rd_rows, aw_rows, wd_rows, ar, aw, wd, read_buf,
            read_err, brd, bwr, ro, stat_fifo
        );
        self.stat_fifo.reset.next = self.reset.val();
        self.brd.reset.next = self.reset.val();
        self.bwr.reset.next = self.reset.val();
        self.desc_fifo.reset.next = self.reset.val();
        self.rowgen.reset.next = self.reset.val();
        self.rd_rows.reset.next = self.reset.val();
        self.aw_rows.reset.next = self.reset.val();
        self.wd_rows.reset.next = self.reset.val();
        self.ar.reset.next = self.reset.val();
        self.aw.reset.next = self.reset.val();
        self.wd.reset.next = self.reset.val();
        self.read_buf.reset.next = self.reset.val();
        self.read_err.reset.next = self.reset.val();

        // ---- descriptor queue (fields packed into one word) ----
        self.desc_ready.next = !self.desc_fifo.full.val();
        self.desc_fifo.push.next = self.desc_valid.val();
        self.desc_fifo.data_in.next = bit_cast::<512, 64>(self.desc_src_addr.val())
            | (bit_cast::<512, 64>(self.desc_dst_addr.val()) << 64)
            | (bit_cast::<512, 64>(self.desc_src_slice_pitch.val()) << 128)
            | (bit_cast::<512, 64>(self.desc_dst_slice_pitch.val()) << 192)
            | (bit_cast::<512, 32>(self.desc_src_row_pitch.val()) << 256)
            | (bit_cast::<512, 32>(self.desc_dst_row_pitch.val()) << 288)
            | (bit_cast::<512, 32>(self.desc_row_bytes.val()) << 320)
            | (bit_cast::<512, 32>(self.desc_rows.val()) << 352)
            | (bit_cast::<512, 32>(self.desc_slices.val()) << 384)
            | (bit_cast::<512, 16>(self.desc_tag.val()) << 416)
            | (bit_cast::<512, 32>(self.desc_layout.val()) << 448);
        self.rowgen.may_start.next =
            self.state.q.val() == EngineState::Idle && !self.stat_fifo.full.val();
        self.rowgen.desc_valid.next = !self.desc_fifo.empty.val();
        self.rowgen.src_addr.next = self.desc_fifo.data_out.val().get_bits::<64>(0);
        self.rowgen.dst_addr.next = self.desc_fifo.data_out.val().get_bits::<64>(64);
        self.rowgen.src_slice_pitch.next = self.desc_fifo.data_out.val().get_bits::<64>(128);
        self.rowgen.dst_slice_pitch.next = self.desc_fifo.data_out.val().get_bits::<64>(192);
        self.rowgen.src_row_pitch.next = self.desc_fifo.data_out.val().get_bits::<32>(256);
        self.rowgen.dst_row_pitch.next = self.desc_fifo.data_out.val().get_bits::<32>(288);
        self.rowgen.row_bytes.next = self.desc_fifo.data_out.val().get_bits::<32>(320);
        self.rowgen.rows.next = self.desc_fifo.data_out.val().get_bits::<32>(352);
        if self.eligible.val() {
            // Block mode: the piece walker takes the descriptor as empty.
            self.rowgen.rows.next = 0.into();
        }
        self.rowgen.slices.next = self.desc_fifo.data_out.val().get_bits::<32>(384);
        self.rowgen.layout.next = self.desc_fifo.data_out.val().get_bits::<32>(448);
        self.desc_fifo.pop.next = self.rowgen.desc_pop.val();

        // ---- block mode: is the waiting descriptor eligible? ----
        // 64-byte bus, a Y or Tile4 side, whole 128 B × 32-row blocks, every
        // side beat-aligned (base, pitches), tiled sides placed at (0, 0),
        // linear sides at x = 0, X sides at x % 128 == 0 and y % 8 == 0.
        self.src_place.next = self.desc_fifo.data_out.val().get_bits::<16>(448);
        self.dst_place.next = self.desc_fifo.data_out.val().get_bits::<16>(464);
        self.src_side_ok.next = !self.desc_fifo.data_out.val().get_bits::<6>(0).any()
            && !self.desc_fifo.data_out.val().get_bits::<6>(128).any()
            && !self.desc_fifo.data_out.val().get_bits::<6>(256).any();
        if self.src_place.val().get_bits::<2>(0) == 0 {
            if self.src_place.val().get_bits::<9>(7).any() {
                self.src_side_ok.next = false;
            }
        } else if self.src_place.val().get_bits::<2>(0) == 1 {
            if self.src_place.val().get_bits::<7>(7).any()
                || self.src_place.val().get_bits::<3>(2).any()
            {
                self.src_side_ok.next = false;
            }
        } else if self.src_place.val().get_bits::<14>(2).any() {
            self.src_side_ok.next = false;
        }
        self.dst_side_ok.next = !self.desc_fifo.data_out.val().get_bits::<6>(64).any()
            && !self.desc_fifo.data_out.val().get_bits::<6>(192).any()
            && !self.desc_fifo.data_out.val().get_bits::<6>(288).any();
        if self.dst_place.val().get_bits::<2>(0) == 0 {
            if self.dst_place.val().get_bits::<9>(7).any() {
                self.dst_side_ok.next = false;
            }
        } else if self.dst_place.val().get_bits::<2>(0) == 1 {
            if self.dst_place.val().get_bits::<7>(7).any()
                || self.dst_place.val().get_bits::<3>(2).any()
            {
                self.dst_side_ok.next = false;
            }
        } else if self.dst_place.val().get_bits::<14>(2).any() {
            self.dst_side_ok.next = false;
        }
        self.eligible.next = self.block_capable.val()
            && (self.src_place.val().get_bit(1) || self.dst_place.val().get_bit(1))
            && self.src_side_ok.val()
            && self.dst_side_ok.val()
            && !self.desc_fifo.data_out.val().get_bits::<7>(320).any()
            && self.desc_fifo.data_out.val().get_bits::<32>(320).any()
            && !self.desc_fifo.data_out.val().get_bits::<5>(352).any()
            && self.desc_fifo.data_out.val().get_bits::<32>(352).any()
            && self.desc_fifo.data_out.val().get_bits::<32>(384).any();
        // Wide blocks (256 B × 16 rows: longer bursts on linear and X sides)
        // when rows are whole 256-byte blocks and X sides sit on them.
        self.wide_ok.next = !self.desc_fifo.data_out.val().get_bit(327);
        if self.src_place.val().get_bits::<2>(0) == 1 && self.src_place.val().get_bit(14) {
            self.wide_ok.next = false;
        }
        if self.dst_place.val().get_bits::<2>(0) == 1 && self.dst_place.val().get_bit(14) {
            self.wide_ok.next = false;
        }
        self.brd.wide.next = self.wide_ok.val();
        self.bwr.wide.next = self.wide_ok.val();
        self.brd.load.next = self.rowgen.desc_pop.val() && self.eligible.val();
        self.bwr.load.next = self.rowgen.desc_pop.val() && self.eligible.val();
        self.brd.addr.next = self.desc_fifo.data_out.val().get_bits::<64>(0);
        self.bwr.addr.next = self.desc_fifo.data_out.val().get_bits::<64>(64);
        self.brd.slice_pitch.next = self.desc_fifo.data_out.val().get_bits::<64>(128);
        self.bwr.slice_pitch.next = self.desc_fifo.data_out.val().get_bits::<64>(192);
        self.brd.row_pitch.next = self.desc_fifo.data_out.val().get_bits::<32>(256);
        self.bwr.row_pitch.next = self.desc_fifo.data_out.val().get_bits::<32>(288);
        self.brd.placement.next = self.src_place.val();
        self.bwr.placement.next = self.dst_place.val();
        self.brd.row_bytes.next = self.desc_fifo.data_out.val().get_bits::<32>(320);
        self.bwr.row_bytes.next = self.desc_fifo.data_out.val().get_bits::<32>(320);
        self.brd.rows.next = self.desc_fifo.data_out.val().get_bits::<32>(352);
        self.bwr.rows.next = self.desc_fifo.data_out.val().get_bits::<32>(352);
        self.brd.slices.next = self.desc_fifo.data_out.val().get_bits::<32>(384);
        self.bwr.slices.next = self.desc_fifo.data_out.val().get_bits::<32>(384);
        if self.rowgen.desc_pop.val() {
            self.block_mode.d.next = self.eligible.val();
            self.block_src.d.next = self.src_place.val().get_bits::<2>(0);
            self.block_dst.d.next = self.dst_place.val().get_bits::<2>(0);
            self.block_wide.d.next = self.wide_ok.val();
        }
        self.started.next = self.rowgen.desc_pop.val();

        // ---- rows to the three sides ----
        self.aborting.next = self.error.q.val().any();
        self.rowgen.abort.next = self.aborting.val();
        self.ar.abort.next = self.aborting.val();
        self.aw.abort.next = self.aborting.val();
        self.rowgen.space.next =
            !self.rd_rows.full.val() && !self.aw_rows.full.val() && !self.wd_rows.full.val();
        self.rd_rows.push.next = self.rowgen.row_push.val();
        self.aw_rows.push.next = self.rowgen.row_push.val();
        self.wd_rows.push.next = self.rowgen.row_push.val();
        self.rd_rows.data_in.next = bit_cast::<96, 64>(self.rowgen.row_src.val())
            | (bit_cast::<96, 32>(self.rowgen.row_len.val()) << 64);
        self.aw_rows.data_in.next = bit_cast::<96, 64>(self.rowgen.row_dst.val())
            | (bit_cast::<96, 32>(self.rowgen.row_len.val()) << 64);
        self.wd_rows.data_in.next = bit_cast::<128, 64>(self.rowgen.row_dst.val())
            | (bit_cast::<128, 32>(self.rowgen.row_len.val()) << 64)
            | (bit_cast::<128, 64>(self.rowgen.row_src.val() & self.offset_mask.val()) << 96);
        // Block mode: each side's own runs (beat-aligned, whole beats).
        self.brd.abort.next = self.aborting.val();
        self.bwr.abort.next = self.aborting.val();
        self.brd.space.next = !self.rd_rows.full.val();
        self.bwr.space.next = !self.aw_rows.full.val() && !self.wd_rows.full.val();
        if self.block_mode.q.val() {
            self.rd_rows.push.next = self.brd.push.val();
            self.aw_rows.push.next = self.bwr.push.val();
            self.wd_rows.push.next = self.bwr.push.val();
            self.rd_rows.data_in.next = bit_cast::<96, 64>(self.brd.run_addr.val())
                | (bit_cast::<96, 32>(self.brd.run_len.val()) << 64);
            self.aw_rows.data_in.next = bit_cast::<96, 64>(self.bwr.run_addr.val())
                | (bit_cast::<96, 32>(self.bwr.run_len.val()) << 64);
            self.wd_rows.data_in.next = bit_cast::<128, 64>(self.bwr.run_addr.val())
                | (bit_cast::<128, 32>(self.bwr.run_len.val()) << 64);
        }

        // ---- read side: AR, with read-buffer credits ----
        self.ar.row_valid.next = !self.rd_rows.empty.val();
        self.ar.row_addr.next = self.rd_rows.data_out.val().get_bits::<64>(0);
        self.ar.row_len.next = self.rd_rows.data_out.val().get_bits::<32>(64);
        self.rd_rows.pop.next = self.ar.row_pop.val();
        self.reserved_plus.next = self.reads_reserved.q.val() + self.ar.beats.val();
        self.ar.allow.next = self.reserved_plus.val() <= self.read_buffer_beats.val();
        self.ar.ready.next = self.m_ar_ready.val();
        self.m_ar_valid.next = self.ar.valid.val();
        self.m_ar_addr.next = self.ar.addr.val();
        self.m_ar_len.next = self.ar.len.val();
        self.m_r_ready.next = true;
        self.read_buf.push.next = self.m_r_valid.val();
        self.read_buf.data_in.next = self.m_r_data.val();
        self.read_err.push.next = self.m_r_valid.val();
        self.read_err.data_in.next = self.m_r_resp.val().any();
        if self.ar.fire.val() {
            self.reads_reserved.d.next = self.reserved_plus.val();
        }
        // While aborting, read beats still arriving are drained unused.
        self.drain_pop.next =
            self.wd.data_pop.val() || (self.aborting.val() && !self.read_buf.empty.val());
        if self.block_mode.q.val() {
            self.drain_pop.next =
                self.ro.in_pop.val() || (self.aborting.val() && !self.read_buf.empty.val());
        }
        if self.drain_pop.val() {
            self.reads_reserved.d.next = self.reads_reserved.q.val() - 1;
            if self.ar.fire.val() {
                self.reads_reserved.d.next = self.reserved_plus.val() - 1;
            }
        }

        // ---- write address side: AW, bounded outstanding responses ----
        self.aw.row_valid.next = !self.aw_rows.empty.val();
        self.aw.row_addr.next = self.aw_rows.data_out.val().get_bits::<64>(0);
        self.aw.row_len.next = self.aw_rows.data_out.val().get_bits::<32>(64);
        self.aw_rows.pop.next = self.aw.row_pop.val();
        self.aw.allow.next = self.writes_outstanding.q.val() < self.max_writes.val();
        self.aw.ready.next = self.m_aw_ready.val();
        self.m_aw_valid.next = self.aw.valid.val();
        self.m_aw_addr.next = self.aw.addr.val();
        self.m_aw_len.next = self.aw.len.val();
        self.m_b_ready.next = true;
        self.outstanding_plus.next = self.writes_outstanding.q.val() + 1;
        if self.aw.fire.val() {
            self.writes_outstanding.d.next = self.outstanding_plus.val();
        }
        if self.m_b_valid.val() {
            self.writes_outstanding.d.next = self.writes_outstanding.q.val() - 1;
            if self.aw.fire.val() {
                self.writes_outstanding.d.next = self.writes_outstanding.q.val();
            }
        }

        // ---- write data side: realign and W ----
        self.wd.row_valid.next = !self.wd_rows.empty.val();
        self.wd.row_dst.next = self.wd_rows.data_out.val().get_bits::<64>(0);
        self.wd.row_len.next = self.wd_rows.data_out.val().get_bits::<32>(64);
        self.wd.row_src_off.next = self.wd_rows.data_out.val().get_bits::<8>(96);
        self.wd_rows.pop.next = self.wd.row_pop.val();
        self.wd.data_valid.next = !self.read_buf.empty.val();
        self.wd.data.next = self.read_buf.data_out.val();
        self.wd.data_err.next = self.read_err.data_out.val();
        // Block mode: read beats go through the staging RAM.
        self.ro.flush.next = self.reset.val() || self.rowgen.desc_pop.val();
        self.ro.src_kind.next = self.block_src.q.val();
        self.ro.dst_kind.next = self.block_dst.q.val();
        self.ro.wide.next = self.block_wide.q.val();
        self.ro.enable.next = self.block_mode.q.val() && !self.aborting.val();
        self.ro.in_valid.next = !self.read_buf.empty.val();
        self.ro.in_data.next = self.read_buf.data_out.val();
        self.ro.in_err.next = self.read_err.data_out.val();
        self.ro.out_pop.next = self.block_mode.q.val() && self.wd.data_pop.val();
        if self.block_mode.q.val() {
            self.wd.data_valid.next = self.ro.out_valid.val();
            self.wd.data.next = self.ro.out_data.val();
            self.wd.data_err.next = self.ro.out_err.val();
        }
        self.read_buf.pop.next = self.drain_pop.val();
        self.read_err.pop.next = self.drain_pop.val();
        self.wd.abort.next = self.aborting.val();
        self.wd.beats_owed.next = self.beats_owed.q.val();
        if self.aw.fire.val() {
            self.beats_owed.d.next = self.beats_owed.q.val() + self.aw.beats.val();
            if self.wd.w_fire.val() {
                self.beats_owed.d.next = self.beats_owed.q.val() + self.aw.beats.val() - 1;
            }
        } else if self.wd.w_fire.val() {
            self.beats_owed.d.next = self.beats_owed.q.val() - 1;
        }
        self.wd.w_ready.next = self.m_w_ready.val();
        self.m_w_valid.next = self.wd.w_valid.val();
        self.m_w_data.next = self.wd.w_data.val();
        self.m_w_strb.next = self.wd.w_strb.val();
        self.m_w_last.next = self.wd.w_last.val();

        // ---- errors: the first one wins ----
        if !self.error.q.val().any() {
            if self.wd.read_error.val() {
                self.error.d.next = self.err_read.val();
            }
            if self.m_b_valid.val() && self.m_b_resp.val().any() {
                self.error.d.next = self.err_write.val();
            }
        }

        // ---- control and status ----
        self.all_done.next = !self.rowgen.busy.val()
            && !self.brd.busy.val()
            && !self.bwr.busy.val()
            && self.rd_rows.drained.val()
            && self.aw_rows.drained.val()
            && self.wd_rows.drained.val()
            && !self.ar.busy.val()
            && !self.aw.busy.val()
            && !self.wd.busy.val()
            && !self.reads_reserved.q.val().any()
            && !self.writes_outstanding.q.val().any()
            && !self.beats_owed.q.val().any();
        // Statuses wait in an 8-entry queue, so the next descriptor starts
        // at once; `idle` still waits until every status is taken.
        self.stat_fifo.push.next = false;
        self.stat_fifo.data_in.next =
            bit_cast::<24, 16>(self.tag.q.val()) | (bit_cast::<24, 8>(self.error.q.val()) << 16);
        self.stat_valid.next = !self.stat_fifo.empty.val();
        self.stat_tag.next = self.stat_fifo.data_out.val().get_bits::<16>(0);
        self.stat_error.next = self.stat_fifo.data_out.val().get_bits::<8>(16);
        self.stat_fifo.pop.next = self.stat_ready.val() && !self.stat_fifo.empty.val();
        if self.stat_fifo.pop.val() {
            self.descriptors.d.next = self.descriptors.q.val() + 1;
        }
        self.idle.next = (self.state.q.val() == EngineState::Idle)
            && self.desc_fifo.drained.val()
            && self.stat_fifo.drained.val();
        match self.state.q.val() {
            EngineState::Idle => {
                if self.rowgen.desc_pop.val() {
                    self.state.d.next = EngineState::Busy;
                    self.tag.d.next = self.desc_fifo.data_out.val().get_bits::<16>(416);
                    self.error.d.next = 0.into();
                }
            }
            EngineState::Busy => {
                self.busy_cycles.d.next = self.busy_cycles.q.val() + 1;
                if !self.wd.w_fire.val() {
                    self.stall_cycles.d.next = self.stall_cycles.q.val() + 1;
                }
                if self.all_done.val() {
                    self.state.d.next = EngineState::Idle;
                    self.stat_fifo.push.next = true;
                }
            }
            _ => {}
        }
        if self.wd.row_done.val() && !self.error.q.val().any() && !self.wd.read_error.val() {
            self.bytes.d.next = self.bytes.q.val() + bit_cast::<64, 32>(self.wd.row_bytes.val());
        }
        self.cnt_busy_cycles.next = self.busy_cycles.q.val();
        self.cnt_bytes.next = self.bytes.q.val();
        self.cnt_descriptors.next = self.descriptors.q.val();
        self.cnt_stall_cycles.next = self.stall_cycles.q.val();
        if self.reset.val() {
            self.state.d.next = EngineState::Idle;
            self.error.d.next = 0.into();
            self.reads_reserved.d.next = 0.into();
            self.writes_outstanding.d.next = 0.into();
            self.beats_owed.d.next = 0.into();
            self.busy_cycles.d.next = 0.into();
            self.bytes.d.next = 0.into();
            self.descriptors.d.next = 0.into();
            self.stall_cycles.d.next = 0.into();
            self.block_mode.d.next = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiledma_contract::descriptor::DESCRIPTOR_PORT_BITS;

    /// The engine's `desc_*` ports are the contract's descriptor fields.
    #[test]
    fn descriptor_ports_match_the_contract() {
        let e = CopyEngine8::new();
        let ports = [
            ("src_addr", e.desc_src_addr.bits()),
            ("dst_addr", e.desc_dst_addr.bits()),
            ("src_slice_pitch", e.desc_src_slice_pitch.bits()),
            ("dst_slice_pitch", e.desc_dst_slice_pitch.bits()),
            ("src_row_pitch", e.desc_src_row_pitch.bits()),
            ("dst_row_pitch", e.desc_dst_row_pitch.bits()),
            ("row_bytes", e.desc_row_bytes.bits()),
            ("rows", e.desc_rows.bits()),
            ("slices", e.desc_slices.bits()),
            ("tag", e.desc_tag.bits()),
            ("layout", e.desc_layout.bits()),
        ];
        assert_eq!(ports, DESCRIPTOR_PORT_BITS);
    }

    /// The burst splitter, natively, against the rule written out in Rust.
    #[test]
    fn burst_split_matches_the_rule() {
        for beat in [8u64, 64] {
            let mut b = BurstSplit::new(beat as usize);
            b.connect_all();
            for addr in (0..3 * 4096u64).step_by(beat as usize * 3) {
                for left in [1u64, 2, 7, 15, 16, 17, 100, 70000] {
                    b.addr.next = bits(addr + 0x1234_0000_0000);
                    b.beats_left.next = bits(left);
                    assert!(simulate(&mut b, 100));
                    let to_boundary = (4096 - addr % 4096) / beat;
                    let want = left.min(16).min(to_boundary);
                    assert_eq!(
                        b.beats.val().to_u64(),
                        want,
                        "beat {beat} addr {addr:#x} left {left}"
                    );
                }
            }
        }
    }
}
