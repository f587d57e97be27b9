// C ABI over the Verilated card top (tiledma_card). The AXI port structs
// match sim/src/memory.rs (SlaveOut, MasterOut); the rest sim/src/card.rs.
#include <cstdint>
#include <memory>
#include "verilated.h"
#include "verilated_vcd_c.h"
#include "Vcard.h"

extern "C" {
struct SlaveOut {
    uint8_t ar_ready, r_valid, r_resp;
    uint64_t r_data[8];
    uint8_t aw_ready, w_ready, b_valid, b_resp;
};
struct MasterOut {
    uint8_t ar_valid;
    uint64_t ar_addr;
    uint8_t ar_len, r_ready, aw_valid;
    uint64_t aw_addr;
    uint8_t aw_len, w_valid;
    uint64_t w_data[8];
    uint64_t w_strb;
    uint8_t w_last, b_ready;
};
struct CardInputs {
    uint8_t clock, reset, bar_valid, bar_write;
    uint32_t bar_addr, bar_wdata;
    SlaveOut m, h;
};
struct CardOutputs {
    uint8_t bar_ack, irq, cpu_trap;
    uint32_t bar_rdata;
    MasterOut m, h;
};
}

template <std::size_t N> static void put(VlWide<N>& d, const uint64_t* s) {
    for (std::size_t i = 0; i < N; ++i) d[i] = static_cast<uint32_t>(s[i / 2] >> (32 * (i % 2)));
}
template <std::size_t N> static void get(uint64_t* d, const VlWide<N>& s) {
    for (std::size_t i = 0; i < N / 2; ++i) d[i] = static_cast<uint64_t>(s[2 * i]) | (static_cast<uint64_t>(s[2 * i + 1]) << 32);
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
    m.m_ar_ready = in->m.ar_ready;
    m.m_r_valid = in->m.r_valid;
    m.m_r_resp = in->m.r_resp;
    put(m.m_r_data, in->m.r_data);
    m.m_aw_ready = in->m.aw_ready;
    m.m_w_ready = in->m.w_ready;
    m.m_b_valid = in->m.b_valid;
    m.m_b_resp = in->m.b_resp;
    m.h_ar_ready = in->h.ar_ready;
    m.h_r_valid = in->h.r_valid;
    m.h_r_resp = in->h.r_resp;
    put(m.h_r_data, in->h.r_data);
    m.h_aw_ready = in->h.aw_ready;
    m.h_w_ready = in->h.w_ready;
    m.h_b_valid = in->h.b_valid;
    m.h_b_resp = in->h.b_resp;
    m.eval();
    out->bar_ack = m.bar_ack;
    out->bar_rdata = m.bar_rdata;
    out->irq = m.irq;
    out->cpu_trap = m.cpu_trap;
    out->m.ar_valid = m.m_ar_valid;
    out->m.ar_addr = m.m_ar_addr;
    out->m.ar_len = m.m_ar_len;
    out->m.r_ready = m.m_r_ready;
    out->m.aw_valid = m.m_aw_valid;
    out->m.aw_addr = m.m_aw_addr;
    out->m.aw_len = m.m_aw_len;
    out->m.w_valid = m.m_w_valid;
    get(out->m.w_data, m.m_w_data);
    out->m.w_strb = m.m_w_strb;
    out->m.w_last = m.m_w_last;
    out->m.b_ready = m.m_b_ready;
    out->h.ar_valid = m.h_ar_valid;
    out->h.ar_addr = m.h_ar_addr;
    out->h.ar_len = 0;
    out->h.r_ready = m.h_r_ready;
    out->h.aw_valid = m.h_aw_valid;
    out->h.aw_addr = m.h_aw_addr;
    out->h.aw_len = 0;
    out->h.w_valid = m.h_w_valid;
    get(out->h.w_data, m.h_w_data);
    out->h.w_strb = m.h_w_strb;
    out->h.w_last = 1;
    out->h.b_ready = m.h_b_ready;
}
