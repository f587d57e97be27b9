// ULX3S (LFE5U-85F-6BG381C): the card at 40 MHz from the board's 25 MHz
// oscillator through an ECP5 PLL, its UART on the FT231X (USB serial, US1).
// Pins: ulx3s.lpf. The card's ports come from the generated tiledma_board.
module ulx3s_top(
    input  clk_25mhz,
    input  ftdi_txd,   // from the FT231X (host → board)
    output ftdi_rxd,   // to the FT231X (board → host)
    output [1:0] led   // led[0]: card interrupt, led[1]: soft core trapped
);
    wire card_clk, locked;
    // 25 MHz / 5 × 8 = 40 MHz; VCO = 40 MHz × 15 = 600 MHz (range 400–800).
    (* FREQUENCY_PIN_CLKI = "25" *)
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
        .CLKFB_DIV(8)
    ) pll (
        .RST(1'b0),
        .STDBY(1'b0),
        .CLKI(clk_25mhz),
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
        .uart_rx(ftdi_txd),
        .uart_tx(ftdi_rxd),
        .cpu_trap(led[1]),
        .irq(led[0])
    );
endmodule
