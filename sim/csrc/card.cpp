// C ABI over the Verilated card top (tiledma_card). The AXI port structs
// match sim/src/memory.rs (SlaveOut, MasterOut); the rest sim/src/card.rs.
#include <cstdint>
#include <memory>
#include "verilated.h"
#include "verilated_vcd_c.h"
#include "Vcard.h"
// The core's program counter is read from the model's internals (for the
// firmware profile): the name follows the card's hierarchy, cpu → cpu.
#include "Vcard___024root.h"
#include "axi_port.h"

extern "C" {
struct CardInputs {
    uint8_t clock, reset, bar_valid, bar_write;
    uint32_t bar_addr, bar_wdata;
    SlaveOut m, h;
};
struct CardOutputs {
    uint8_t bar_ack, irq, cpu_trap, trace;
    uint32_t bar_rdata;
    uint32_t cpu_pc;
    MasterOut m, h;
};
}


struct CardHarness {
    VerilatedContext ctx;
    std::unique_ptr<Vcard> m;
    std::unique_ptr<VerilatedVcdC> vcd;
    CardHarness() {
        ctx.traceEverOn(true);
        m.reset(new Vcard(&ctx, "card"));
    }
    ~CardHarness() {
        if (vcd) vcd->close();
        m->final();
    }
};

extern "C" void* tdm_card_new() { return new CardHarness(); }
extern "C" void tdm_card_free(void* h) { delete static_cast<CardHarness*>(h); }
extern "C" int tdm_card_trace_open(void* p, const char* path) {
    auto* h = static_cast<CardHarness*>(p);
    h->vcd.reset(new VerilatedVcdC);
    h->m->trace(h->vcd.get(), 99);
    h->vcd->open(path);
    return h->vcd->isOpen() ? 0 : -1;
}
extern "C" void tdm_card_trace_dump(void* p, uint64_t t) {
    auto* h = static_cast<CardHarness*>(p);
    if (h->vcd) h->vcd->dump(t);
}
extern "C" void tdm_card_eval(void* p, const CardInputs* in, CardOutputs* out) {
    Vcard& m = *static_cast<CardHarness*>(p)->m;
    m.clock = in->clock;
    m.reset = in->reset;
    m.bar_valid = in->bar_valid;
    m.bar_write = in->bar_write;
    m.bar_addr = in->bar_addr;
    m.bar_wdata = in->bar_wdata;
    AXI_SLAVE_IN(m, m_, in->m)
    AXI_SLAVE_IN(m, h_, in->h)
    m.eval();
    out->bar_ack = m.bar_ack;
    out->bar_rdata = m.bar_rdata;
    out->irq = m.irq;
    out->cpu_trap = m.cpu_trap;
    out->cpu_pc = m.rootp->tiledma_card__DOT__cpu__DOT__cpu__DOT__reg_pc;
    out->trace = m.trace_issued | m.trace_started << 1 | m.trace_done << 2;
    AXI_MASTER_OUT(m, m_, out->m)
    out->h.ar_valid = m.h_ar_valid;
    out->h.ar_addr = m.h_ar_addr;
    out->h.ar_len = 0;
    out->h.r_ready = m.h_r_ready;
    out->h.aw_valid = m.h_aw_valid;
    out->h.aw_addr = m.h_aw_addr;
    out->h.aw_len = 0;
    out->h.w_valid = m.h_w_valid;
    get_wide(out->h.w_data, m.h_w_data);
    out->h.w_strb = m.h_w_strb;
    out->h.w_last = 1;
    out->h.b_ready = m.h_b_ready;
}
