// ECP5-5G Versa (LFE5UM5G-45F-8BG381C): the card at 40 MHz from the
// board's 100 MHz oscillator through an ECP5 PLL (the card closes timing at
// ~48 MHz on this part, see bitstreams/README.md), its UART on the FT2232H's
// second channel (USB serial). Pins: versa.lpf. The card's ports come from
// the generated tiledma_board.
module versa_top(
    input  clk100,     // 100 MHz LVDS oscillator
    input  uart_rx,    // from the FT2232H (host → board)
    output uart_tx     // to the FT2232H (board → host)
);
    wire card_clk, locked;
    // 100 MHz / 5 × 2 = 40 MHz; VCO = 40 MHz × 15 = 600 MHz (range 400–800).
    (* FREQUENCY_PIN_CLKI = "100" *)
    (* FREQUENCY_PIN_CLKOP = "40" *)
    (* ICP_CURRENT = "12" *) (* LPF_RESISTOR = "8" *) (* MFG_ENABLE_FILTEROPAMP = "1" *) (* MFG_GMCREF_SEL = "2" *)
    EHXPLLL #(
        .PLLRST_ENA("DISABLED"),
        .INTFB_WAKE("DISABLED"),
        .STDBY_ENABLE("DISABLED"),
        .DPHASE_SOURCE("DISABLED"),
        .OUTDIVIDER_MUXA("DIVA"),
        .OUTDIVIDER_MUXB("DIVB"),
        .OUTDIVIDER_MUXC("DIVC"),
        .OUTDIVIDER_MUXD("DIVD"),
        .CLKI_DIV(5),
        .CLKOP_ENABLE("ENABLED"),
        .CLKOP_DIV(15),
        .CLKOP_CPHASE(7),
        .CLKOP_FPHASE(0),
        .FEEDBK_PATH("CLKOP"),
        .CLKFB_DIV(2)
    ) pll (
        .RST(1'b0),
        .STDBY(1'b0),
        .CLKI(clk100),
        .CLKOP(card_clk),
        .CLKFB(card_clk),
        .CLKINTFB(),
        .PHASESEL0(1'b0),
        .PHASESEL1(1'b0),
        .PHASEDIR(1'b1),
        .PHASESTEP(1'b1),
        .PHASELOADREG(1'b1),
        .PLLWAKESYNC(1'b0),
        .ENCLKOP(1'b0),
        .LOCK(locked)
    );
    tiledma_board board(
        .clock(card_clk),
        .uart_rx(uart_rx),
        .uart_tx(uart_tx),
        .cpu_trap(),
        .irq()
    );
endmodule
