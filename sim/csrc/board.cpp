// C ABI over the Verilated ECP5 board top (tiledma_board: card, on-chip
// memory, UART bridge, PicoRV32). The host side sees only the serial pins.
#include <cstdint>
#include <memory>
#include "verilated.h"
#include "Vboard.h"

struct BoardHarness {
    VerilatedContext ctx;
    std::unique_ptr<Vboard> m;
    BoardHarness() { m.reset(new Vboard(&ctx, "board")); }
    ~BoardHarness() { m->final(); }
};

extern "C" void* tdm_board_new() {
    auto* h = new BoardHarness();
    h->m->uart_rx = 1;
    h->m->clock = 0;
    h->m->eval();
    return h;
}
extern "C" void tdm_board_free(void* h) { delete static_cast<BoardHarness*>(h); }
// Runs `cycles` clock cycles with uart_rx held at `rx`; tx[i] is uart_tx
// after cycle i. Returns irq | cpu_trap << 1 after the last cycle.
extern "C" uint32_t tdm_board_run(void* p, uint32_t cycles, uint8_t rx, uint8_t* tx) {
    Vboard& m = *static_cast<BoardHarness*>(p)->m;
    m.uart_rx = rx;
    for (uint32_t i = 0; i < cycles; i++) {
        m.clock = 1;
        m.eval();
        m.clock = 0;
        m.eval();
        tx[i] = m.uart_tx;
    }
    return (uint32_t)m.irq | ((uint32_t)m.cpu_trap << 1);
}
