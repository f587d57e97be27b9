// ECP5-5G Versa (LFE5UM5G-45F-8BG381C): the card at the board's 100 MHz
// oscillator, its UART on the FT2232H's second channel (USB serial).
// Pins: versa.lpf. The card's ports come from the generated tiledma_board.
module versa_top(
    input  clk100,     // 100 MHz LVDS oscillator
    input  uart_rx,    // from the FT2232H (host → board)
    output uart_tx     // to the FT2232H (board → host)
);
    tiledma_board board(
        .clock(clk100),
        .uart_rx(uart_rx),
        .uart_tx(uart_tx),
        .cpu_trap(),
        .irq()
    );
endmodule
