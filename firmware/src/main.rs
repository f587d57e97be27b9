//! Firmware entry point on the card's PicoRV32: binds [`Hardware`] to the
//! card's registers and runs the command processor forever.
#![cfg_attr(target_arch = "riscv32", no_std, no_main)]

#[cfg(target_arch = "riscv32")]
mod card {
    use core::ptr::{read_volatile, write_volatile};
    use tiledma_contract::regs::*;
    use tiledma_contract::EngineDescriptor;
    use tiledma_firmware::hw::{BusError, Hardware};
    use tiledma_firmware::processor::Processor;

    fn rd(addr: u32) -> u32 {
        // SAFETY: a register of the card's peripheral window.
        unsafe { read_volatile(addr as *const u32) }
    }
    fn wr(addr: u32, v: u32) {
        // SAFETY: a register of the card's peripheral window.
        unsafe { write_volatile(addr as *mut u32, v) }
    }

    /// The card's registers, engine port and bridge.
    pub struct Mmio;

    impl Mmio {
        #[inline(always)]
        fn start(&mut self, addr: u64, cmd: u32) {
            wr(CPU_BRIDGE_BASE + BR_ADDR_LO, addr as u32);
            wr(CPU_BRIDGE_BASE + BR_ADDR_HI, (addr >> 32) as u32);
            wr(CPU_BRIDGE_BASE + BR_CMD, cmd);
        }
    }

    impl Hardware for Mmio {
        #[inline(always)]
        fn reg(&self, offset: u32) -> u32 {
            rd(CPU_REGS_BASE + offset)
        }
        #[inline(always)]
        fn set_reg(&mut self, offset: u32, value: u32) {
            wr(CPU_REGS_BASE + offset, value)
        }
        #[inline(always)]
        fn cycles(&self) -> u64 {
            // Low, then high: the reads are a few cycles apart, so unless
            // the low word was within 256 cycles of its carry, the high
            // word read after it is the one that goes with it.
            let lo = rd(CPU_REGS_BASE + CYCLES_LO);
            let hi = rd(CPU_REGS_BASE + CYCLES_HI);
            if lo <= 0xFFFF_FF00 {
                return (hi as u64) << 32 | lo as u64;
            }
            // High, low, high again: a carry between the reads is caught.
            loop {
                let hi = rd(CPU_REGS_BASE + CYCLES_HI);
                let lo = rd(CPU_REGS_BASE + CYCLES_LO);
                if rd(CPU_REGS_BASE + CYCLES_HI) == hi {
                    return (hi as u64) << 32 | lo as u64;
                }
            }
        }
        #[inline(always)]
        fn start_read(&mut self, addr: u64) {
            self.start(addr, BR_CMD_READ);
        }
        #[inline(always)]
        fn bridge_wait(&mut self) -> Result<(), BusError> {
            loop {
                let s = rd(CPU_BRIDGE_BASE + BR_STATUS);
                if s & 1 == 0 {
                    return if s & 2 == 0 { Ok(()) } else { Err(BusError) };
                }
            }
        }
        #[inline(always)]
        fn beat_word(&self, i: usize) -> u32 {
            rd(CPU_BRIDGE_BASE + 4 * i as u32)
        }
        #[inline(always)]
        fn write_words(&mut self, addr: u64, words: &[u32]) -> Result<(), BusError> {
            let at = addr as u32 % 64;
            for (i, w) in words.iter().enumerate() {
                wr(CPU_BRIDGE_BASE + at + 4 * i as u32, *w);
            }
            let ones = if words.len() == 16 {
                u64::MAX
            } else {
                (1u64 << (4 * words.len())) - 1
            };
            let strobes = ones << at;
            wr(CPU_BRIDGE_BASE + BR_STRB_LO, strobes as u32);
            wr(CPU_BRIDGE_BASE + BR_STRB_HI, (strobes >> 32) as u32);
            self.start(addr - at as u64, BR_CMD_WRITE);
            self.bridge_wait()
        }
        #[inline(always)]
        fn engine_ready(&self) -> bool {
            rd(CPU_ENGINE_BASE + ENG_PUSH) & 1 == 0
        }
        #[inline(always)]
        fn engine_push(&mut self, desc: &EngineDescriptor) {
            for (i, w) in desc.to_words().iter().enumerate() {
                wr(CPU_ENGINE_BASE + 4 * i as u32, *w);
            }
            wr(CPU_ENGINE_BASE + ENG_PUSH, 1);
        }
        #[inline(always)]
        fn engine_status(&mut self) -> Option<(u16, u8)> {
            let s = rd(CPU_ENGINE_BASE + ENG_STAT);
            if s >> 31 == 0 {
                return None;
            }
            wr(CPU_ENGINE_BASE + ENG_STAT, 1);
            Some((s as u16, (s >> 16) as u8))
        }
        #[inline(always)]
        fn raise_irq(&mut self) {
            self.set_reg(IRQ_STATUS, IRQ_COMPLETION);
        }
    }

    #[riscv_rt::entry]
    fn main() -> ! {
        let mut hw = Mmio;
        hw.set_reg(FW_VERSION, tiledma_firmware::FIRMWARE_VERSION);
        hw.set_reg(FW_REJECTED, 0);
        let fatal = match Processor::start(&mut hw) {
            Ok(mut p) => {
                hw.set_reg(FW_STATUS, FW_RUNNING);
                loop {
                    if let Err(f) = p.poll(&mut hw) {
                        break f;
                    }
                }
            }
            Err(f) => f,
        };
        hw.set_reg(FW_STATUS, fatal.code());
        loop {
            core::hint::spin_loop();
        }
    }

    /// PicoRV32 has no interrupt CSRs: nothing to set up.
    #[riscv_rt::setup_interrupts]
    fn setup_interrupts() {}

    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo) -> ! {
        wr(CPU_REGS_BASE + FW_STATUS, 0xE0FF);
        loop {
            core::hint::spin_loop();
        }
    }
}

#[cfg(not(target_arch = "riscv32"))]
fn main() {
    eprintln!(
        "tiledma-firmware runs on the card: build it with --target riscv32imc-unknown-none-elf"
    );
    std::process::exit(2);
}
