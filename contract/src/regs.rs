//! Register map of the card: BAR0 as the host sees it, and the same block as
//! the soft core sees it at [`CPU_REGS_BASE`].
//!
//! | BAR0 range        | owner | what |
//! |-------------------|-------|------|
//! | `0x000..0x200`    | host writes, card reads | rings, doorbell, DMA windows |
//! | `0x200..0x400`    | card writes, host reads | firmware status, ring heads |
//! | `0x400..0x500`    | hardware | identity, control, interrupts, counters |
//! | `0x10000..0x20000`| host writes while the CPU is held in reset | firmware RAM |

// ---- host-owned registers (host read/write, firmware read-only) ----
/// Command ring base IOVA, low 32 bits (64-byte aligned).
pub const CMD_RING_BASE_LO: u32 = 0x000;
/// Command ring base IOVA, high 32 bits.
pub const CMD_RING_BASE_HI: u32 = 0x004;
/// Command ring entries (a power of two, 2..=65536); 0 = ring not set up.
pub const CMD_RING_ENTRIES: u32 = 0x008;
/// Doorbell: the host's producer count (free-running u32; slot = count % entries).
pub const CMD_RING_TAIL: u32 = 0x00C;
/// Completion ring base IOVA, low 32 bits (64-byte aligned).
pub const CPL_RING_BASE_LO: u32 = 0x010;
/// Completion ring base IOVA, high 32 bits.
pub const CPL_RING_BASE_HI: u32 = 0x014;
/// Completion ring entries (a power of two, 2..=65536).
pub const CPL_RING_ENTRIES: u32 = 0x018;
/// The host's consumer count of the completion ring (free-running u32).
pub const CPL_RING_TAIL: u32 = 0x01C;
/// Bumped by the host after it changes any DMA window; the firmware re-reads
/// the windows when this value changes (instead of 64 register reads per command).
pub const WINDOW_GENERATION: u32 = 0x020;
/// DMA window `i` (0..[`WINDOWS`]): base low/high, size low/high at
/// `WINDOW_BASE + 16*i + {0,4,8,12}`. The firmware rejects any command that
/// touches host memory outside every window. Size 0 = window unused.
pub const WINDOW_BASE: u32 = 0x100;
/// Number of DMA windows.
pub const WINDOWS: u32 = 16;

// ---- card-owned registers (firmware read/write, host read-only) ----
/// Firmware state, one of the `FW_*` values.
pub const FW_STATUS: u32 = 0x200;
/// Firmware version (major << 16 | minor).
pub const FW_VERSION: u32 = 0x204;
/// Commands consumed from the command ring (free-running u32).
pub const CMD_RING_HEAD: u32 = 0x208;
/// Completions written to the completion ring (free-running u32).
pub const CPL_RING_HEAD: u32 = 0x20C;
/// Soft-core cycles from fetching the last command to writing its completion.
pub const FW_LAST_CMD_CYCLES: u32 = 0x210;
/// Commands rejected by the firmware's checks (free-running u32).
pub const FW_REJECTED: u32 = 0x214;

/// `FW_STATUS`: the firmware has not started (CPU in reset or booting).
pub const FW_OFF: u32 = 0;
/// `FW_STATUS`: processing commands.
pub const FW_RUNNING: u32 = 1;
/// `FW_STATUS`: stopped: a ring register is invalid.
pub const FW_BAD_RING: u32 = 0xE001;
/// `FW_STATUS`: stopped: a ring access got a bus error (ring not mapped).
pub const FW_RING_FAULT: u32 = 0xE002;

// ---- hardware registers ----
/// Identity, always [`ID_VALUE`].
pub const ID: u32 = 0x400;
/// Hardware version (major << 16 | minor).
pub const VERSION: u32 = 0x404;
/// Capabilities: bits 7:0 log2(engine bytes per beat); bits 31:16 card memory in MiB.
pub const CAPS: u32 = 0x408;
/// Control: bit 0 runs the soft core (0 holds it in reset), bit 1 holds the engine in reset.
pub const CONTROL: u32 = 0x40C;
/// Interrupt status: bit 0 = completions written. Host writes 1 to clear;
/// firmware writes 1 (at the same offset) to raise.
pub const IRQ_STATUS: u32 = 0x410;
/// Interrupt mask: the interrupt line is `IRQ_STATUS & IRQ_MASK != 0`.
pub const IRQ_MASK: u32 = 0x414;
/// Free-running cycle counter, low/high word.
pub const CYCLES_LO: u32 = 0x418;
/// High word of [`CYCLES_LO`].
pub const CYCLES_HI: u32 = 0x41C;
/// Engine counters, each a low/high pair: busy cycles, bytes, descriptors, stall cycles.
pub const ENGINE_COUNTERS: u32 = 0x420;
/// Firmware RAM window (BAR0 offset); writable while the soft core is in reset.
pub const FW_RAM_WINDOW: u32 = 0x1_0000;
/// Firmware RAM size in bytes.
pub const FW_RAM_BYTES: u32 = 0x1_0000;
/// BAR0 size in bytes.
pub const BAR0_BYTES: u32 = 0x2_0000;

// ---- PCI identity ----

/// PCI vendor ID: Xilinx's, as the vendor flow's XDMA bridge presents the
/// card (bitstreams/); the simulated card's config space uses the same.
pub const PCI_VENDOR_ID: u16 = 0x10ee;
/// PCI device ID ("td"), set in the XDMA IP and the simulated config space.
pub const PCI_DEVICE_ID: u16 = 0x7464;
/// PCI class code: processing accelerator (class 0x12, subclass 0, prog-if 0).
pub const PCI_CLASS_CODE: u32 = 0x12_00_00;

/// `CONTROL` bit: run the soft core.
pub const CONTROL_CPU_RUN: u32 = 1;
/// `CONTROL` bit: hold the engine in reset.
pub const CONTROL_ENGINE_RESET: u32 = 2;
/// `IRQ_STATUS` bit: completions were written.
pub const IRQ_COMPLETION: u32 = 1;

/// Value of the [`ID`] register: "tdma".
pub const ID_VALUE: u32 = 0x7464_6d61;
/// Value of the [`VERSION`] register.
pub const VERSION_VALUE: u32 = 0x0001_0000;

// ---- the soft core's view ----
/// Firmware RAM, at address 0 for the CPU.
pub const CPU_RAM_BASE: u32 = 0x0000_0000;
/// The register block above (same offsets), for the CPU.
pub const CPU_REGS_BASE: u32 = 0x1000_0000;
/// Engine descriptor port for the CPU: 16 words of an [`crate::EngineDescriptor`]
/// at `+0x00..0x40`, then [`ENG_PUSH`], [`ENG_STAT`].
pub const CPU_ENGINE_BASE: u32 = 0x1000_1000;
/// Engine port: write any value to queue the staged descriptor; read: bit 0 =
/// a push is still pending (wait for 0 before staging the next), bit 1 = engine idle.
pub const ENG_PUSH: u32 = 0x40;
/// Engine port: read the oldest status: bit 31 valid, bits 23:16 error,
/// bits 15:0 tag. Write any value to drop it.
pub const ENG_STAT: u32 = 0x44;
/// Host-memory bridge for the CPU: one 64-byte beat per access. 16 data
/// words at `+0x00..0x40`, then the registers below.
pub const CPU_BRIDGE_BASE: u32 = 0x1000_2000;
/// Bridge: beat address, low word (64-byte aligned).
pub const BR_ADDR_LO: u32 = 0x40;
/// Bridge: beat address, high word.
pub const BR_ADDR_HI: u32 = 0x44;
/// Bridge: byte enables of a write, low 32 bytes.
pub const BR_STRB_LO: u32 = 0x48;
/// Bridge: byte enables of a write, high 32 bytes.
pub const BR_STRB_HI: u32 = 0x4C;
/// Bridge: write [`BR_CMD_READ`] or [`BR_CMD_WRITE`] to start.
pub const BR_CMD: u32 = 0x50;
/// Bridge: bit 0 busy, bit 1 the last access got a bus error.
pub const BR_STATUS: u32 = 0x54;
/// Bridge command: read a beat into the data words.
pub const BR_CMD_READ: u32 = 1;
/// Bridge command: write the data words with the byte enables.
pub const BR_CMD_WRITE: u32 = 2;
/// Bytes the bridge moves per access.
pub const BRIDGE_BEAT_BYTES: usize = 64;

// ---- the card's DMA address space (engine and bridge) ----
/// Addresses at or above this are card memory; below are host IOVAs.
pub const CARD_MEMORY_BASE: u64 = 0x8000_0000_0000_0000;
/// Card memory size in bytes.
pub const CARD_MEMORY_BYTES: u64 = 256 << 20;
/// IOVA arena of the host driver's rings, `(base, size)`. No DMA window
/// covers it: no command may copy into or out of a ring. The ECP5 boards
/// place a window of on-chip memory here (`board`).
pub const RING_IOVA: (u64, u64) = (0x1000_0000, 0x1000_0000);
/// IOVA arena of the host driver's data buffers, `(base, size)`; the
/// driver registers it as DMA window 0.
pub const DATA_IOVA: (u64, u64) = (0x1_0000_0000, 0x100_0000_0000);
