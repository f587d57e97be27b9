// C ABI over the Verilated copy engines. One set of functions per bus width,
// stamped out by ENGINE_HARNESS; the port structs match sim/src/ffi.rs.
// Wide buses (> 64 bits) are passed as little-endian arrays of u64.
#include <cstdint>
#include <memory>
#include "verilated.h"
#include "verilated_vcd_c.h"
#include "Vengine_w8.h"
#include "Vengine_w64.h"

extern "C" {
struct EngineInputs {
    uint8_t clock, reset;
    uint8_t desc_valid;
    uint64_t desc_src_addr, desc_dst_addr, desc_src_slice_pitch, desc_dst_slice_pitch;
    uint32_t desc_src_row_pitch, desc_dst_row_pitch, desc_row_bytes, desc_rows, desc_slices;
    uint16_t desc_tag;
    uint8_t stat_ready;
    uint8_t m_ar_ready;
    uint8_t m_r_valid, m_r_resp;
    uint64_t m_r_data[8];
    uint8_t m_aw_ready, m_w_ready;
    uint8_t m_b_valid, m_b_resp;
};
struct EngineOutputs {
    uint8_t desc_ready;
    uint8_t stat_valid, stat_error;
    uint16_t stat_tag;
    uint8_t m_ar_valid, m_ar_len;
    uint64_t m_ar_addr;
    uint8_t m_r_ready;
    uint8_t m_aw_valid, m_aw_len;
    uint64_t m_aw_addr;
    uint8_t m_w_valid, m_w_last;
    uint64_t m_w_strb;
    uint64_t m_w_data[8];
    uint8_t m_b_ready;
    uint64_t cnt_busy_cycles, cnt_bytes, cnt_descriptors, cnt_stall_cycles;
    uint8_t idle;
};
}

static void put(QData& d, const uint64_t* s) { d = s[0]; }
template <std::size_t N> static void put(VlWide<N>& d, const uint64_t* s) {
    for (std::size_t i = 0; i < N; ++i) d[i] = static_cast<uint32_t>(s[i / 2] >> (32 * (i % 2)));
}
static void get(uint64_t* d, QData s) { d[0] = s; }
template <std::size_t N> static void get(uint64_t* d, const VlWide<N>& s) {
    for (std::size_t i = 0; i < N / 2; ++i) d[i] = static_cast<uint64_t>(s[2 * i]) | (static_cast<uint64_t>(s[2 * i + 1]) << 32);
}

template <class M> struct Harness {
    VerilatedContext ctx;
    std::unique_ptr<M> model;
    std::unique_ptr<VerilatedVcdC> vcd;
    Harness() {
        ctx.traceEverOn(true);
        model.reset(new M(&ctx, "engine"));
    }
    void eval(const EngineInputs* in, EngineOutputs* out) {
        M& m = *model;
        m.clock = in->clock;
        m.reset = in->reset;
        m.desc_valid = in->desc_valid;
        m.desc_src_addr = in->desc_src_addr;
        m.desc_dst_addr = in->desc_dst_addr;
        m.desc_src_slice_pitch = in->desc_src_slice_pitch;
        m.desc_dst_slice_pitch = in->desc_dst_slice_pitch;
        m.desc_src_row_pitch = in->desc_src_row_pitch;
        m.desc_dst_row_pitch = in->desc_dst_row_pitch;
        m.desc_row_bytes = in->desc_row_bytes;
        m.desc_rows = in->desc_rows;
        m.desc_slices = in->desc_slices;
        m.desc_tag = in->desc_tag;
        m.stat_ready = in->stat_ready;
        m.m_ar_ready = in->m_ar_ready;
        m.m_r_valid = in->m_r_valid;
        m.m_r_resp = in->m_r_resp;
        put(m.m_r_data, in->m_r_data);
        m.m_aw_ready = in->m_aw_ready;
        m.m_w_ready = in->m_w_ready;
        m.m_b_valid = in->m_b_valid;
        m.m_b_resp = in->m_b_resp;
        m.eval();
        out->desc_ready = m.desc_ready;
        out->stat_valid = m.stat_valid;
        out->stat_error = m.stat_error;
        out->stat_tag = m.stat_tag;
        out->m_ar_valid = m.m_ar_valid;
        out->m_ar_len = m.m_ar_len;
        out->m_ar_addr = m.m_ar_addr;
        out->m_r_ready = m.m_r_ready;
        out->m_aw_valid = m.m_aw_valid;
        out->m_aw_len = m.m_aw_len;
        out->m_aw_addr = m.m_aw_addr;
        out->m_w_valid = m.m_w_valid;
        out->m_w_last = m.m_w_last;
        out->m_w_strb = m.m_w_strb;
        get(out->m_w_data, m.m_w_data);
        out->m_b_ready = m.m_b_ready;
        out->cnt_busy_cycles = m.cnt_busy_cycles;
        out->cnt_bytes = m.cnt_bytes;
        out->cnt_descriptors = m.cnt_descriptors;
        out->cnt_stall_cycles = m.cnt_stall_cycles;
        out->idle = m.idle;
    }
    int trace_open(const char* path) {
        vcd.reset(new VerilatedVcdC);
        model->trace(vcd.get(), 99);
        vcd->open(path);
        return vcd->isOpen() ? 0 : -1;
    }
    void trace_dump(uint64_t time) {
        if (vcd) vcd->dump(time);
    }
    void trace_close() {
        if (vcd) vcd->close();
        vcd.reset();
    }
    ~Harness() {
        trace_close();
        model->final();
    }
};

#define ENGINE_HARNESS(W)                                                                      \
    extern "C" void* tdm_engine_w##W##_new() { return new Harness<Vengine_w##W>(); }           \
    extern "C" void tdm_engine_w##W##_free(void* h) { delete static_cast<Harness<Vengine_w##W>*>(h); } \
    extern "C" void tdm_engine_w##W##_eval(void* h, const EngineInputs* in, EngineOutputs* out) { \
        static_cast<Harness<Vengine_w##W>*>(h)->eval(in, out);                                 \
    }                                                                                          \
    extern "C" int tdm_engine_w##W##_trace_open(void* h, const char* path) {                   \
        return static_cast<Harness<Vengine_w##W>*>(h)->trace_open(path);                       \
    }                                                                                          \
    extern "C" void tdm_engine_w##W##_trace_dump(void* h, uint64_t t) {                        \
        static_cast<Harness<Vengine_w##W>*>(h)->trace_dump(t);                                 \
    }

ENGINE_HARNESS(8)
ENGINE_HARNESS(64)
