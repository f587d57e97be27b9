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
        fn bridge(&mut self, addr: u64, cmd: u32) -> Result<(), BusError> {
            wr(CPU_BRIDGE_BASE + BR_ADDR_LO, addr as u32);
            wr(CPU_BRIDGE_BASE + BR_ADDR_HI, (addr >> 32) as u32);
            wr(CPU_BRIDGE_BASE + BR_CMD, cmd);
            loop {
                let s = rd(CPU_BRIDGE_BASE + BR_STATUS);
                if s & 1 == 0 {
                    return if s & 2 == 0 { Ok(()) } else { Err(BusError) };
                }
            }
        }
    }

    impl Hardware for Mmio {
        fn reg(&self, offset: u32) -> u32 {
            rd(CPU_REGS_BASE + offset)
        }
        fn set_reg(&mut self, offset: u32, value: u32) {
            wr(CPU_REGS_BASE + offset, value)
        }
        fn cycles(&self) -> u64 {
            // High, low, high again: a carry between the reads is caught.
            loop {
                let hi = rd(CPU_REGS_BASE + CYCLES_HI);
                let lo = rd(CPU_REGS_BASE + CYCLES_LO);
                if rd(CPU_REGS_BASE + CYCLES_HI) == hi {
                    return (hi as u64) << 32 | lo as u64;
                }
            }
        }
        fn read_beat(&mut self, addr: u64) -> Result<[u32; 16], BusError> {
            self.bridge(addr, BR_CMD_READ)?;
            Ok(core::array::from_fn(|i| rd(CPU_BRIDGE_BASE + 4 * i as u32)))
        }
        fn write_beat(
            &mut self,
            addr: u64,
            data: &[u32; 16],
            strobes: u64,
        ) -> Result<(), BusError> {
            for (i, w) in data.iter().enumerate() {
                // Only the words that will be written need loading.
                if (strobes >> (4 * i)) & 0xF != 0 {
                    wr(CPU_BRIDGE_BASE + 4 * i as u32, *w);
                }
            }
            wr(CPU_BRIDGE_BASE + BR_STRB_LO, strobes as u32);
            wr(CPU_BRIDGE_BASE + BR_STRB_HI, (strobes >> 32) as u32);
            self.bridge(addr, BR_CMD_WRITE)
        }
        fn engine_ready(&self) -> bool {
            rd(CPU_ENGINE_BASE + ENG_PUSH) & 1 == 0
        }
        fn engine_push(&mut self, desc: &EngineDescriptor) {
            for (i, w) in desc.to_words().iter().enumerate() {
                wr(CPU_ENGINE_BASE + 4 * i as u32, *w);
            }
            wr(CPU_ENGINE_BASE + ENG_PUSH, 1);
        }
        fn engine_status(&mut self) -> Option<(u16, u8)> {
            let s = rd(CPU_ENGINE_BASE + ENG_STAT);
            if s >> 31 == 0 {
                return None;
            }
            wr(CPU_ENGINE_BASE + ENG_STAT, 1);
            Some((s as u16, (s >> 16) as u8))
        }
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
