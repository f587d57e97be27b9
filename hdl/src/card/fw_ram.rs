//! The soft core's RAM: 64 KiB as four byte lanes (rust-hdl's RAM has no
//! byte enables), one registered read port and one write port.

use rust_hdl::prelude::*;

/// Word-addressed RAM of 2^14 32-bit words with per-byte write enables.
#[derive(LogicBlock, Default)]
pub struct FwRam {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Word address of the read (data next cycle).
    pub read_addr: Signal<In, Bits<14>>,
    /// Read data, one cycle after the address.
    pub read_data: Signal<Out, Bits<32>>,
    /// Word address of the write.
    pub write_addr: Signal<In, Bits<14>>,
    /// Write data.
    pub write_data: Signal<In, Bits<32>>,
    /// Byte enables of the write (0 = no write).
    pub write_strb: Signal<In, Bits<4>>,
    lane0: RAM<Bits<8>, 14>,
    lane1: RAM<Bits<8>, 14>,
    lane2: RAM<Bits<8>, 14>,
    lane3: RAM<Bits<8>, 14>,
}

impl FwRam {
    /// A RAM whose first words hold `image` (the rest starts at zero): the
    /// firmware baked into a board's bitstream.
    pub fn with_image(image: &[u32]) -> Self {
        assert!(image.len() <= 1 << 14, "the firmware RAM holds 2^14 words");
        let lane = |shift: u32| {
            RAM::new(
                image
                    .iter()
                    .enumerate()
                    .filter(|(_, w)| (*w >> shift) & 0xFF != 0)
                    .map(|(i, w)| {
                        (
                            bits::<14>(i as u64),
                            bits::<8>(((w >> shift) & 0xFF) as u64),
                        )
                    })
                    .collect(),
            )
        };
        Self {
            lane0: lane(0),
            lane1: lane(8),
            lane2: lane(16),
            lane3: lane(24),
            ..Default::default()
        }
    }
}

impl Logic for FwRam {
    #[hdl_gen]
    fn update(&mut self) {
        self.lane0.read_clock.next = self.clock.val();
        self.lane1.read_clock.next = self.clock.val();
        self.lane2.read_clock.next = self.clock.val();
        self.lane3.read_clock.next = self.clock.val();
        self.lane0.write_clock.next = self.clock.val();
        self.lane1.write_clock.next = self.clock.val();
        self.lane2.write_clock.next = self.clock.val();
        self.lane3.write_clock.next = self.clock.val();
        self.lane0.read_address.next = self.read_addr.val();
        self.lane1.read_address.next = self.read_addr.val();
        self.lane2.read_address.next = self.read_addr.val();
        self.lane3.read_address.next = self.read_addr.val();
        self.lane0.write_address.next = self.write_addr.val();
        self.lane1.write_address.next = self.write_addr.val();
        self.lane2.write_address.next = self.write_addr.val();
        self.lane3.write_address.next = self.write_addr.val();
        self.lane0.write_data.next = self.write_data.val().get_bits::<8>(0);
        self.lane1.write_data.next = self.write_data.val().get_bits::<8>(8);
        self.lane2.write_data.next = self.write_data.val().get_bits::<8>(16);
        self.lane3.write_data.next = self.write_data.val().get_bits::<8>(24);
        self.lane0.write_enable.next = self.write_strb.val().get_bit(0);
        self.lane1.write_enable.next = self.write_strb.val().get_bit(1);
        self.lane2.write_enable.next = self.write_strb.val().get_bit(2);
        self.lane3.write_enable.next = self.write_strb.val().get_bit(3);
        self.read_data.next = bit_cast::<32, 8>(self.lane0.read_data.val())
            | (bit_cast::<32, 8>(self.lane1.read_data.val()) << 8)
            | (bit_cast::<32, 8>(self.lane2.read_data.val()) << 16)
            | (bit_cast::<32, 8>(self.lane3.read_data.val()) << 24);
    }
}
